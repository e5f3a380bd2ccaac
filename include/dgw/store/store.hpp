#pragma once
/// The one storage interface (DESIGN.md "Shape"), made of roles a caller can depend on alone:
/// the queues, the message log, contacts, concerns and sessions, hand-offs, accounts, privacy,
/// media, flows, secrets and client systems' API keys (one header each). Implementations: SQLite (embedded default) and,
/// later, PostgreSQL.
///
/// The interface is synchronous and NOT thread-safe: the pipeline runs every call on one
/// database thread (STYLE.md §3), which is also what makes SQLite's single writer cheap.
/// Each mutating call is one transaction. Infrastructure faults (disk full, database gone)
/// throw `store::unavailable`; the callers turn that into 503 or a retry.

#include <dgw/store/accounts.hpp>
#include <dgw/store/api_keys.hpp>
#include <dgw/store/concerns.hpp>
#include <dgw/store/contacts.hpp>
#include <dgw/store/flows.hpp>
#include <dgw/store/handoffs.hpp>
#include <dgw/store/media.hpp>
#include <dgw/store/message_log.hpp>
#include <dgw/store/privacy.hpp>
#include <dgw/store/queue.hpp>
#include <dgw/store/secrets.hpp>

#include <functional>
#include <memory>

namespace dgw::store {

class store : public queue_store,
              public message_log_store,
              public contact_store,
              public concern_store,
              public handoff_store,
              public account_store,
              public privacy_store,
              public media_store,
              public flow_store,
              public secret_store,
              public api_key_store {
public:
    ~store() override = default;

    /// Runs `body` in one transaction: everything it writes commits together, or nothing
    /// does if it throws. Transactions the roles' calls open inside join it, each as a
    /// savepoint that can fail alone.
    virtual void transact(const std::function<void()>& body) = 0;

    /// A cheap query that fails when the database is unusable (for /readyz).
    virtual bool healthy() = 0;
    /// From now on, concerns filed and changed and sessions changed are handed to `sink`, and
    /// the outbox rows it returns are queued with the change (records.hpp, event_sink).
    /// Without one (the default, and the command line's tools) nothing is queued.
    virtual void set_event_sink(std::shared_ptr<const event_sink> sink) = 0;
};

}  // namespace dgw::store
