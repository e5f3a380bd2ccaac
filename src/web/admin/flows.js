// The flow editor (admins): edit a flow's JSON with the validator's errors at their place, a
// diagram of its nodes, the simulator beside it, publish and roll back with a diff.
// Uses the helpers of app.js (api, el, show, t, addPage), which is loaded first.
"use strict";
