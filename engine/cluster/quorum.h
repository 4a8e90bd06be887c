#pragma once
// The controller quorum (KRaft's Raft, KIP-595 and KIP-631, in miniature): 1 or 3 voters, each on
// its own network node, elect the active controller and replicate the metadata log.
//
// Each voter keeps the leader epoch of every log entry (so logs can be compared and truncated at a
// divergence, as Raft requires) and the metadata image as of its log end. Entry n of the log is
// the image with version n: the controller's records are whole images here, not deltas, which
// keeps a follower's state one pointer. Followers fetch from the leader (long poll); the leader's
// high watermark is the largest offset a majority holds, and only entries up to it reach the
// brokers. A follower that hears nothing from the leader for controller.quorum.fetch.timeout.ms
// first asks the others for a pre-vote (KIP-996): only if a majority would vote for it (its log is
// at least as up to date, and they have not heard from a leader within the fetch timeout either)
// does it become a candidate with a new epoch, so a voter cut off from the others cannot disrupt
// the quorum with ever higher epochs when it returns. Votes go to candidates whose log is at least
// as up to date; a randomized election timeout (from the run's generator) breaks split votes. A
// leader that stops hearing from a majority resigns (check quorum).

#include "cluster/context.h"
#include "cluster/metadata.h"
#include "sim/function.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace brokerlab::cluster {

// Network node of controller voter `index`: 0, -1, -2 (brokers are 1..n, clients 1000+).
inline constexpr sim::NodeId controllerNode(std::int32_t index) { return -index; }
inline constexpr std::int32_t controllerIndex(sim::NodeId node) { return -node; }

struct QuorumCounters {
    std::int64_t elections = 0; // controller elections won (the bootstrap leader is not counted)
    std::int64_t resignations = 0;
};

class ControllerQuorum {
public:
    // A voter won an election: the controller loads this image (the voter's log end) and acts.
    using Activate = std::function<void(std::int32_t index, std::shared_ptr<const MetadataImage> image)>;
    // The active controller lost its leadership (killed, or deposed): it stops acting.
    using Deactivate = std::function<void()>;
    // Entries up to this image are committed: brokers may learn it.
    using Commit = std::function<void(std::shared_ptr<const MetadataImage> image)>;

    ControllerQuorum(Context& context, const BrokerConfig& config, std::int32_t voters);

    void setListeners(Activate activate, Deactivate deactivate, Commit commit);
    // Voter 0 starts as the leader of epoch 1 (the quorum formed before the scenario's time zero).
    void start(std::shared_ptr<const MetadataImage> initial);

    std::int32_t size() const { return static_cast<std::int32_t>(voters_.size()); }
    bool isControllerNode(sim::NodeId node) const { return node <= 0 && controllerIndex(node) < size(); }
    std::int32_t activeIndex() const { return active_; } // -1: no active controller
    bool isActive(std::int32_t index) const { return index == active_ && index >= 0; }
    // The leader voter `index` believes in (-1: none known); a broker asking it learns this.
    std::int32_t leaderKnownBy(std::int32_t index) const;
    bool voterAlive(std::int32_t index) const;
    std::int32_t epoch() const; // the active controller's epoch (or the highest known)
    std::int64_t highWatermark() const;
    std::int64_t logEndOffset(std::int32_t index) const;
    std::shared_ptr<const MetadataImage> committedImage() const { return committed_; }
    const QuorumCounters& counters() const { return counters_; }

    // The active controller appends a record: `image` with version = log end + 1.
    void append(std::shared_ptr<const MetadataImage> image);
    // Runs `action` once the active log's entry `offset` is committed. Dropped if the voter loses
    // its leadership first (the broker's request times out and is retried).
    void whenCommitted(std::int64_t offset, sim::UniqueFunction<void()> action);

    // Faults. The log and the quorum state survive on disk; the in-memory role does not.
    void kill(std::int32_t index);
    void restart(std::int32_t index);

private:
    enum class Role { Follower, Prospective, Candidate, Leader };
    struct Voter {
        bool alive = true;
        Role role = Role::Follower;
        std::int32_t epoch = 0;
        std::int32_t votedFor = -1;
        std::int32_t leader = -1;
        std::vector<std::int32_t> epochs; // epoch of entry n at epochs[n - 1]
        std::map<std::int64_t, std::shared_ptr<const MetadataImage>> images; // by offset; last = log end
        std::uint64_t timerGeneration = 0;
        bool fetchInFlight = false;
        std::uint64_t fetchId = 0;
        std::set<std::int32_t> votes; // pre-votes while prospective, votes while candidate
        sim::SimTime lastLeaderContact = -1;
        // Leader only
        std::map<std::int32_t, std::int64_t> followerEnd;
        std::set<std::int32_t> heardFrom; // followers that fetched since the last check-quorum
        sim::SimTime quorumCheckElapsed = 0;
        std::map<std::int32_t, sim::UniqueFunction<void()>> parkedFetches;
        std::int64_t highWatermark = 0;
        std::multimap<std::int64_t, sim::UniqueFunction<void()>> commitWaiters;
    };
    struct FetchResponse {
        std::int32_t epoch = 0;
        std::int32_t leader = -1;
        bool accepted = false;
        std::int64_t truncateTo = -1;
        std::vector<std::int32_t> epochs; // entries from the fetch offset on
        std::shared_ptr<const MetadataImage> image; // the leader's log end
        std::int64_t highWatermark = 0;
    };

    std::int32_t majority() const { return size() / 2 + 1; }
    std::int64_t end(const Voter& voter) const { return static_cast<std::int64_t>(voter.epochs.size()); }
    std::int32_t lastEpoch(const Voter& voter) const { return voter.epochs.empty() ? 0 : voter.epochs.back(); }
    void observeEpoch(std::int32_t index, std::int32_t epoch, std::int32_t leader);
    void stepDown(std::int32_t index);
    void armFetchTimeout(std::int32_t index);
    void startElection(std::int32_t index); // the pre-vote round
    void runElection(std::int32_t index); // the real one, with a new epoch
    void armElectionRetry(std::int32_t index);
    void onPreVote(std::int32_t from, std::int32_t to, std::int32_t epoch, std::int32_t lastEpoch, std::int64_t logEnd);
    void onVote(std::int32_t from, std::int32_t to, std::int32_t epoch, std::int32_t lastEpoch, std::int64_t logEnd);
    void becomeLeader(std::int32_t index);
    void sendFetch(std::int32_t index);
    void answerFetch(std::int32_t leader, std::int32_t follower, std::int32_t epoch, std::int64_t fetchOffset,
        std::int32_t lastFetchedEpoch, bool mayPark);
    void onFetchResponse(std::int32_t index, FetchResponse response);
    void maybeAdvanceHighWatermark(std::int32_t index);
    void scheduleCheckQuorum(std::int32_t index, std::uint64_t generation);
    void truncate(Voter& voter, std::int64_t offset);
    void record(std::string kind, std::int32_t index, std::string message);

    Context& context_;
    sim::SimTime electionTimeout_;
    sim::SimTime fetchTimeout_;
    std::vector<Voter> voters_;
    std::int32_t active_ = -1;
    std::shared_ptr<const MetadataImage> committed_;
    QuorumCounters counters_;
    Activate activate_;
    Deactivate deactivate_;
    Commit commit_;
};

} // namespace brokerlab::cluster
