#pragma once
/// Flows edited by admins: drafts, published versions, and how far conversations got in them.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class flow_store {
public:
    virtual ~flow_store() = default;

    /// Inserts or replaces the draft of `d.flow_id` (its version and status are ignored).
    virtual void save_flow_draft(const flow_version& d) = 0;
    virtual std::optional<flow_version> find_flow_draft(const std::string& flow_id) = 0;
    /// The draft of every flow that has one, by flow id (a new flow is only a draft until
    /// its first publish).
    virtual std::vector<flow_version> list_flow_drafts() = 0;
    virtual void delete_flow_draft(const std::string& flow_id) = 0;
    /// Inserts a published version; false (and no change) when that id and version exist.
    virtual bool add_flow_version(const flow_version& v) = 0;
    /// The published versions of one flow (every flow when `flow_id` is ""), by id then version.
    virtual std::vector<flow_version> list_flow_versions(const std::string& flow_id) = 0;
    /// How many versions are published, of every flow (it only grows: a gateway that sees it
    /// change loads the versions another gateway published).
    virtual std::size_t count_flow_versions() = 0;
    /// The highest published version of a flow, 0 when there is none.
    virtual int max_flow_version(const std::string& flow_id) = 0;
    /// The counts of every node of one version that conversations reached.
    virtual std::vector<node_count> list_node_counts(const std::string& flow_id, int version) = 0;
};

}  // namespace dgw::store
