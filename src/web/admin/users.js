// Account management (admins): list, add, change role and scope, disable, reset a password.
// Uses the helpers of app.js (api, el, show, t, addPage), which is loaded first.
"use strict";
