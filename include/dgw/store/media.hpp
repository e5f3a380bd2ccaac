#pragma once
/// Photos kept by the gateway (queued with their concern, see concern::copy_media), and those
/// an official shows on the public page.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class media_store {
public:
    virtual ~media_store() = default;

    /// Up to `limit` pending copies due at `now`, oldest first. Each is leased: its next
    /// attempt moves to `lease_until`, so nobody else takes it meanwhile, and a copier that
    /// dies while fetching leaves it to be taken again then.
    virtual std::vector<media_copy> claim_media_copies(time_point now, time_point lease_until,
                                                       std::size_t limit) = 0;
    /// Stores the bytes of a pending copy and marks it kept, at `file.created_at`. False, and
    /// nothing stored, when it is no longer pending (its citizen's data was erased meanwhile,
    /// or it was kept already).
    virtual bool keep_media_copy(std::int64_t copy_id, const media_file& file) = 0;
    /// A failed try of a pending copy: `attempts` so far, tried again at `next_attempt_at`.
    virtual void retry_media_copy(std::int64_t copy_id, int attempts, time_point next_attempt_at,
                                  const std::string& reason, time_point at) = 0;
    /// Ends a pending copy as refused or failed, with the reason.
    virtual void end_media_copy(std::int64_t copy_id, media_copy_status status,
                                const std::string& reason, time_point at) = 0;
    /// The copies of one concern's photos, by index.
    virtual std::vector<media_copy> media_copies_of(std::int64_t concern_id) = 0;
    /// The bytes kept for a copy, when it is kept.
    virtual std::optional<media_file> find_media_file(std::int64_t copy_id) = 0;
    /// Shows (or hides) the photo at `index` of a concern on the public page; false when the
    /// concern has no kept copy at that index.
    virtual bool publish_media(std::int64_t concern_id, std::size_t index, bool published) = 0;
    /// The bytes of a copy the public page may show: kept, published, and of a concern whose
    /// answer is published.
    virtual std::optional<media_file> find_published_media(std::int64_t copy_id) = 0;
    /// Copies not yet kept, refused or failed.
    virtual std::size_t media_copies_pending() = 0;
};

}  // namespace dgw::store
