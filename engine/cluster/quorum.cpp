#include "cluster/quorum.h"

#include <algorithm>

namespace brokerlab::cluster {

namespace {

constexpr std::int64_t kRequestBytes = 64;
// controller.quorum.fetch max wait: a parked follower fetch is answered after this at the latest,
// and the leader's tick resends BeginQuorumEpoch to voters it has not heard from.
constexpr sim::SimTime kFetchMaxWait = 500 * sim::kMicrosPerMs;
// A fetch whose answer never came (lost, or the leader died) is given up after this.
constexpr sim::SimTime kFetchRequestTimeout = 1000 * sim::kMicrosPerMs;

} // namespace

ControllerQuorum::ControllerQuorum(Context& context, const BrokerConfig& config, std::int32_t voters)
    : context_(context)
    , electionTimeout_(config.controllerQuorumElectionTimeoutMs * sim::kMicrosPerMs)
    , fetchTimeout_(config.controllerQuorumFetchTimeoutMs * sim::kMicrosPerMs)
    , voters_(static_cast<std::size_t>(std::max(1, voters)))
{
}

void ControllerQuorum::setListeners(Activate activate, Deactivate deactivate, Commit commit)
{
    activate_ = std::move(activate);
    deactivate_ = std::move(deactivate);
    commit_ = std::move(commit);
}

void ControllerQuorum::record(std::string kind, std::int32_t index, std::string message)
{
    const Voter& voter = voters_[static_cast<std::size_t>(index)];
    context_.trace.record({ .time = context_.now(),
        .kind = std::move(kind),
        .numbers = { { "controller", index }, { "controller_epoch", voter.epoch }, { "metadata_offset", end(voter) } },
        .message = std::move(message) });
}

void ControllerQuorum::start(std::shared_ptr<const MetadataImage> initial)
{
    // The quorum formed before time zero: every voter knows voter 0 as the leader of epoch 1.
    for (std::int32_t i = 0; i < size(); ++i) {
        Voter& voter = voters_[static_cast<std::size_t>(i)];
        voter.epoch = 1;
        voter.leader = 0;
        voter.votedFor = 0;
    }
    committed_ = std::move(initial);
    becomeLeader(0);
    for (std::int32_t i = 1; i < size(); ++i) {
        armFetchTimeout(i);
        sendFetch(i);
    }
}

std::int32_t ControllerQuorum::leaderKnownBy(std::int32_t index) const
{
    if (index < 0 || index >= size() || !voters_[static_cast<std::size_t>(index)].alive)
        return -1;
    return voters_[static_cast<std::size_t>(index)].leader;
}

bool ControllerQuorum::voterAlive(std::int32_t index) const
{
    return index >= 0 && index < size() && voters_[static_cast<std::size_t>(index)].alive;
}

std::int32_t ControllerQuorum::epoch() const
{
    std::int32_t highest = 0;
    for (const Voter& voter : voters_)
        highest = std::max(highest, voter.epoch);
    return active_ >= 0 ? voters_[static_cast<std::size_t>(active_)].epoch : highest;
}

std::int64_t ControllerQuorum::highWatermark() const
{
    return active_ >= 0 ? voters_[static_cast<std::size_t>(active_)].highWatermark : (committed_ ? committed_->version : 0);
}

std::int64_t ControllerQuorum::logEndOffset(std::int32_t index) const
{
    return index >= 0 && index < size() ? end(voters_[static_cast<std::size_t>(index)]) : 0;
}

// ---------------------------------------------------------------- roles and epochs

void ControllerQuorum::stepDown(std::int32_t index)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    const bool wasLeader = voter.role == Role::Leader;
    voter.role = Role::Follower;
    voter.leader = -1;
    voter.votes.clear();
    voter.followerEnd.clear();
    voter.heardFrom.clear();
    voter.parkedFetches.clear();
    voter.commitWaiters.clear(); // requests waiting for a commit this voter can no longer make time out
    if (wasLeader && active_ == index) {
        active_ = -1;
        if (deactivate_)
            deactivate_();
    }
}

void ControllerQuorum::observeEpoch(std::int32_t index, std::int32_t epoch, std::int32_t leader)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    if (epoch > voter.epoch) {
        stepDown(index);
        voter.epoch = epoch;
        voter.votedFor = -1;
        voter.leader = leader;
        armFetchTimeout(index);
    } else if (epoch == voter.epoch && leader >= 0 && voter.leader != leader && voter.role != Role::Leader) {
        voter.role = Role::Follower;
        voter.leader = leader;
        armFetchTimeout(index);
    }
}

void ControllerQuorum::armFetchTimeout(std::int32_t index)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    const std::uint64_t generation = ++voter.timerGeneration;
    context_.scheduler.scheduleAfter(fetchTimeout_, [this, index, generation] {
        const Voter& current = voters_[static_cast<std::size_t>(index)];
        if (current.alive && current.timerGeneration == generation && current.role != Role::Leader)
            startElection(index);
    });
}

void ControllerQuorum::startElection(std::int32_t index)
{
    if (size() == 1) {
        runElection(index); // a single voter elects itself at once
        return;
    }
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    voter.role = Role::Prospective;
    voter.leader = -1;
    voter.votes = { index };
    const std::int32_t epoch = voter.epoch;
    const std::int32_t last = lastEpoch(voter);
    const std::int64_t logEnd = end(voter);
    for (std::int32_t other = 0; other < size(); ++other) {
        if (other == index)
            continue;
        context_.network.send(controllerNode(index), controllerNode(other), kRequestBytes,
            [this, index, other, epoch, last, logEnd] { onPreVote(index, other, epoch, last, logEnd); });
    }
    armElectionRetry(index);
}

void ControllerQuorum::armElectionRetry(std::int32_t index)
{
    // Randomized election timeout (Raft): split votes do not repeat forever.
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    const std::uint64_t generation = ++voter.timerGeneration;
    const auto jitter = static_cast<sim::SimTime>(context_.rng.uniformInt(0, electionTimeout_));
    context_.scheduler.scheduleAfter(electionTimeout_ + jitter, [this, index, generation] {
        const Voter& current = voters_[static_cast<std::size_t>(index)];
        if (current.alive && current.timerGeneration == generation
            && (current.role == Role::Candidate || current.role == Role::Prospective))
            startElection(index);
    });
}

void ControllerQuorum::onPreVote(
    std::int32_t from, std::int32_t to, std::int32_t epoch, std::int32_t candidateLastEpoch, std::int64_t candidateEnd)
{
    Voter& voter = voters_[static_cast<std::size_t>(to)];
    if (!voter.alive)
        return;
    // A pre-vote changes nothing here: no epoch is adopted, nothing is promised.
    const bool upToDate = candidateLastEpoch > lastEpoch(voter)
        || (candidateLastEpoch == lastEpoch(voter) && candidateEnd >= end(voter));
    const bool hasLeader = voter.role == Role::Leader
        || (voter.leader >= 0 && voter.lastLeaderContact >= 0
            && context_.now() - voter.lastLeaderContact < fetchTimeout_);
    const bool granted = epoch >= voter.epoch && upToDate && !hasLeader;
    const std::int32_t answerEpoch = voter.epoch;
    const std::int32_t leader = voter.role == Role::Leader ? to : voter.leader;
    context_.network.send(controllerNode(to), controllerNode(from), kRequestBytes,
        [this, from, to, answerEpoch, leader, granted] {
            Voter& prospective = voters_[static_cast<std::size_t>(from)];
            if (!prospective.alive)
                return;
            // It learns of a leader (or a newer epoch) from the answer and follows it.
            observeEpoch(from, answerEpoch, leader);
            if (!granted || prospective.role != Role::Prospective)
                return;
            prospective.votes.insert(to);
            if (static_cast<std::int32_t>(prospective.votes.size()) >= majority())
                runElection(from);
        });
}

void ControllerQuorum::runElection(std::int32_t index)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    voter.role = Role::Candidate;
    ++voter.epoch;
    voter.votedFor = index;
    voter.leader = -1;
    voter.votes = { index };
    record("controller.election", index,
        "controller " + std::to_string(index) + " heard from no leader for controller.quorum.fetch.timeout.ms"
            + (size() > 1 ? std::string(" and a majority agreed in the pre-vote") : std::string())
            + ": it asks for votes in epoch " + std::to_string(voter.epoch));
    if (static_cast<std::int32_t>(voter.votes.size()) >= majority()) {
        becomeLeader(index);
        return;
    }
    const std::int32_t epoch = voter.epoch;
    const std::int32_t last = lastEpoch(voter);
    const std::int64_t logEnd = end(voter);
    for (std::int32_t other = 0; other < size(); ++other) {
        if (other == index)
            continue;
        context_.network.send(controllerNode(index), controllerNode(other), kRequestBytes,
            [this, index, other, epoch, last, logEnd] { onVote(index, other, epoch, last, logEnd); });
    }
    armElectionRetry(index);
}

void ControllerQuorum::onVote(
    std::int32_t from, std::int32_t to, std::int32_t epoch, std::int32_t candidateLastEpoch, std::int64_t candidateEnd)
{
    Voter& voter = voters_[static_cast<std::size_t>(to)];
    if (!voter.alive)
        return;
    observeEpoch(to, epoch, -1);
    const bool upToDate = candidateLastEpoch > lastEpoch(voter)
        || (candidateLastEpoch == lastEpoch(voter) && candidateEnd >= end(voter));
    const bool granted = epoch == voter.epoch && voter.role == Role::Follower
        && (voter.votedFor < 0 || voter.votedFor == from) && upToDate;
    if (granted) {
        voter.votedFor = from;
        armFetchTimeout(to); // it waits for the candidate instead of running itself
    }
    const std::int32_t answerEpoch = voter.epoch;
    context_.network.send(controllerNode(to), controllerNode(from), kRequestBytes, [this, from, to, answerEpoch, granted] {
        Voter& candidate = voters_[static_cast<std::size_t>(from)];
        if (!candidate.alive)
            return;
        observeEpoch(from, answerEpoch, -1);
        if (!granted || candidate.role != Role::Candidate || candidate.epoch != answerEpoch)
            return;
        candidate.votes.insert(to);
        if (static_cast<std::int32_t>(candidate.votes.size()) >= majority())
            becomeLeader(from);
    });
}

void ControllerQuorum::becomeLeader(std::int32_t index)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    const bool bootstrap = voter.epoch == 1 && end(voter) == 0 && index == 0;
    voter.role = Role::Leader;
    voter.leader = index;
    voter.followerEnd.clear();
    voter.heardFrom.clear();
    active_ = index;
    if (!bootstrap) {
        ++counters_.elections;
        record("controller.elected", index,
            "controller " + std::to_string(index) + " won the vote: it is the active controller in epoch "
                + std::to_string(voter.epoch) + "; brokers find it on their next heartbeat");
    }
    const std::int32_t epoch = voter.epoch;
    for (std::int32_t other = 0; other < size(); ++other) {
        if (other == index)
            continue;
        // BeginQuorumEpoch: the other voters learn the new leader and start fetching from it.
        context_.network.send(controllerNode(index), controllerNode(other), kRequestBytes, [this, index, other, epoch] {
            if (!voters_[static_cast<std::size_t>(other)].alive)
                return;
            observeEpoch(other, epoch, index);
            sendFetch(other);
        });
    }
    scheduleCheckQuorum(index, ++voter.timerGeneration);
    // The new active controller acts on its log end; its first record (the leader change) commits
    // everything before it once a majority has it.
    if (activate_)
        activate_(index, voter.images.empty() ? committed_ : voter.images.rbegin()->second);
}

void ControllerQuorum::scheduleCheckQuorum(std::int32_t index, std::uint64_t generation)
{
    // The leader's tick: expire parked fetches, re-announce itself to voters it has not heard
    // from, and resign if a majority has been silent for 1.5 × controller.quorum.fetch.timeout.ms.
    context_.scheduler.scheduleAfter(kFetchMaxWait, [this, index, generation] {
        Voter& voter = voters_[static_cast<std::size_t>(index)];
        if (!voter.alive || voter.role != Role::Leader || voter.timerGeneration != generation)
            return;
        auto parked = std::move(voter.parkedFetches);
        voter.parkedFetches.clear();
        for (auto& [follower, answer] : parked)
            answer();
        const std::int32_t epoch = voter.epoch;
        for (std::int32_t other = 0; other < size(); ++other) {
            if (other == index || voter.heardFrom.count(other) != 0)
                continue;
            context_.network.send(controllerNode(index), controllerNode(other), kRequestBytes, [this, index, other, epoch] {
                Voter& target = voters_[static_cast<std::size_t>(other)];
                if (!target.alive)
                    return;
                observeEpoch(other, epoch, index);
                sendFetch(other);
            });
        }
        voter.quorumCheckElapsed += kFetchMaxWait;
        if (voter.quorumCheckElapsed >= fetchTimeout_ * 3 / 2) {
            voter.quorumCheckElapsed = 0;
            if (static_cast<std::int32_t>(voter.heardFrom.size()) + 1 < majority()) {
                ++counters_.resignations;
                record("controller.resigned", index,
                    "controller " + std::to_string(index) + " heard from no majority of voters: it resigns as active controller");
                stepDown(index);
                armFetchTimeout(index);
                return;
            }
            voter.heardFrom.clear();
        }
        scheduleCheckQuorum(index, generation);
    });
}

// ---------------------------------------------------------------- the metadata log

void ControllerQuorum::append(std::shared_ptr<const MetadataImage> image)
{
    if (active_ < 0 || !image)
        return;
    Voter& leader = voters_[static_cast<std::size_t>(active_)];
    leader.epochs.push_back(leader.epoch);
    leader.images[end(leader)] = std::move(image);
    auto parked = std::move(leader.parkedFetches);
    leader.parkedFetches.clear();
    for (auto& [follower, answer] : parked)
        answer();
    maybeAdvanceHighWatermark(active_);
}

void ControllerQuorum::whenCommitted(std::int64_t offset, sim::UniqueFunction<void()> action)
{
    if (active_ < 0)
        return;
    Voter& leader = voters_[static_cast<std::size_t>(active_)];
    if (offset <= leader.highWatermark)
        action();
    else
        leader.commitWaiters.emplace(offset, std::move(action));
}

void ControllerQuorum::truncate(Voter& voter, std::int64_t offset)
{
    // Only whole images are kept: cut back to the newest one at or below the divergence.
    voter.images.erase(voter.images.upper_bound(offset), voter.images.end());
    const std::int64_t kept = voter.images.empty() ? 0 : voter.images.rbegin()->first;
    voter.epochs.resize(static_cast<std::size_t>(kept));
    voter.highWatermark = std::min(voter.highWatermark, kept);
}

void ControllerQuorum::maybeAdvanceHighWatermark(std::int32_t index)
{
    Voter& leader = voters_[static_cast<std::size_t>(index)];
    std::vector<std::int64_t> ends { end(leader) };
    for (std::int32_t other = 0; other < size(); ++other) {
        if (other == index)
            continue;
        auto it = leader.followerEnd.find(other);
        ends.push_back(it == leader.followerEnd.end() ? 0 : it->second);
    }
    std::sort(ends.begin(), ends.end(), std::greater<>());
    const std::int64_t candidate = ends[static_cast<std::size_t>(majority() - 1)];
    // Raft: only an entry of the leader's own epoch commits by counting replicas.
    if (candidate <= leader.highWatermark || leader.epochs[static_cast<std::size_t>(candidate - 1)] != leader.epoch)
        return;
    leader.highWatermark = candidate;
    auto at = leader.images.upper_bound(candidate);
    if (at != leader.images.begin()) {
        --at;
        committed_ = at->second;
        // Older images are no longer needed: nothing truncates below the high watermark.
        leader.images.erase(leader.images.begin(), at);
    }
    if (commit_)
        commit_(committed_);
    while (!leader.commitWaiters.empty() && leader.commitWaiters.begin()->first <= candidate) {
        auto action = std::move(leader.commitWaiters.begin()->second);
        leader.commitWaiters.erase(leader.commitWaiters.begin());
        action();
        if (active_ != index)
            return;
    }
}

void ControllerQuorum::sendFetch(std::int32_t index)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    if (!voter.alive || voter.role != Role::Follower || voter.leader < 0 || voter.fetchInFlight)
        return;
    voter.fetchInFlight = true;
    const std::uint64_t fetchId = ++voter.fetchId;
    const std::int32_t leader = voter.leader;
    const std::int32_t epoch = voter.epoch;
    const std::int64_t fetchOffset = end(voter);
    const std::int32_t last = lastEpoch(voter);
    context_.network.send(controllerNode(index), controllerNode(leader), kRequestBytes,
        [this, leader, index, epoch, fetchOffset, last] { answerFetch(leader, index, epoch, fetchOffset, last, true); });
    context_.scheduler.scheduleAfter(kFetchRequestTimeout + kFetchMaxWait, [this, index, fetchId] {
        Voter& current = voters_[static_cast<std::size_t>(index)];
        if (current.alive && current.fetchInFlight && current.fetchId == fetchId) {
            current.fetchInFlight = false;
            sendFetch(index);
        }
    });
}

void ControllerQuorum::answerFetch(std::int32_t leaderIndex, std::int32_t follower, std::int32_t epoch,
    std::int64_t fetchOffset, std::int32_t lastFetchedEpoch, bool mayPark)
{
    Voter& leader = voters_[static_cast<std::size_t>(leaderIndex)];
    if (!leader.alive)
        return;
    if (epoch > leader.epoch)
        observeEpoch(leaderIndex, epoch, -1);
    FetchResponse response;
    response.epoch = leader.epoch;
    response.leader = leader.leader;
    if (leader.role == Role::Leader && epoch == leader.epoch) {
        const std::int64_t leaderEnd = end(leader);
        const bool matches = fetchOffset <= leaderEnd
            && (fetchOffset == 0 || leader.epochs[static_cast<std::size_t>(fetchOffset - 1)] == lastFetchedEpoch);
        if (!matches) {
            // Diverging: the follower truncates to where its last epoch ends in the leader's log.
            const auto epochEnd = std::upper_bound(leader.epochs.begin(), leader.epochs.end(), lastFetchedEpoch)
                - leader.epochs.begin();
            response.truncateTo = std::min<std::int64_t>(fetchOffset, epochEnd);
        } else {
            leader.followerEnd[follower] = fetchOffset;
            leader.heardFrom.insert(follower);
            maybeAdvanceHighWatermark(leaderIndex);
            if (active_ != leaderIndex)
                return;
            if (fetchOffset == leaderEnd && mayPark) {
                // Long poll: answered by the next append or the leader's tick.
                leader.parkedFetches[follower] = [this, leaderIndex, follower, epoch, fetchOffset, lastFetchedEpoch] {
                    answerFetch(leaderIndex, follower, epoch, fetchOffset, lastFetchedEpoch, false);
                };
                return;
            }
            response.accepted = true;
            response.epochs.assign(leader.epochs.begin() + static_cast<std::ptrdiff_t>(fetchOffset), leader.epochs.end());
            response.image = leader.images.empty() ? committed_ : leader.images.rbegin()->second;
            response.highWatermark = leader.highWatermark;
        }
    }
    context_.network.send(controllerNode(leaderIndex), controllerNode(follower), kRequestBytes,
        [this, follower, response = std::move(response)]() mutable { onFetchResponse(follower, std::move(response)); });
}

void ControllerQuorum::onFetchResponse(std::int32_t index, FetchResponse response)
{
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    if (!voter.alive)
        return;
    voter.fetchInFlight = false;
    observeEpoch(index, response.epoch, response.leader);
    if (voter.role != Role::Follower || response.epoch != voter.epoch || response.leader != voter.leader
        || response.leader < 0) {
        sendFetch(index);
        return;
    }
    armFetchTimeout(index); // heard from the leader
    voter.lastLeaderContact = context_.now();
    if (response.truncateTo >= 0) {
        truncate(voter, response.truncateTo);
    } else if (response.accepted && !response.epochs.empty()) {
        voter.epochs.insert(voter.epochs.end(), response.epochs.begin(), response.epochs.end());
        voter.images[end(voter)] = response.image;
        voter.highWatermark = std::min(response.highWatermark, end(voter));
        auto keep = voter.images.upper_bound(voter.highWatermark);
        if (keep != voter.images.begin())
            voter.images.erase(voter.images.begin(), std::prev(keep));
    } else if (response.accepted) {
        voter.highWatermark = std::min(response.highWatermark, end(voter));
    }
    sendFetch(index);
}

// ---------------------------------------------------------------- faults

void ControllerQuorum::kill(std::int32_t index)
{
    if (!voterAlive(index))
        return;
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    const bool wasActive = active_ == index;
    stepDown(index);
    voter.alive = false;
    voter.fetchInFlight = false;
    ++voter.timerGeneration;
    context_.network.setNodeUp(controllerNode(index), false);
    record("fault.controller_kill", index,
        "controller " + std::to_string(index) + " was killed"
            + (wasActive ? std::string(" while active: ")
                      + (size() > 1 ? "the other voters elect a new one once their fetches time out"
                                    : "with a single voter nothing can change the metadata until it returns")
                         : std::string()));
}

void ControllerQuorum::restart(std::int32_t index)
{
    if (index < 0 || index >= size() || voterAlive(index))
        return;
    Voter& voter = voters_[static_cast<std::size_t>(index)];
    voter.alive = true;
    voter.role = Role::Follower;
    voter.leader = -1;
    context_.network.setNodeUp(controllerNode(index), true);
    record("fault.controller_restart", index,
        "controller " + std::to_string(index) + " restarted with its metadata log and quorum state from disk");
    if (size() == 1)
        startElection(index); // a single voter elects itself at once
    else
        armFetchTimeout(index);
}

} // namespace brokerlab::cluster
