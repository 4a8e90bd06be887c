// What a classic rebalance moved: partitions that changed owner, and whether they came from a member
// that left (orphans) or from one that stayed. Lesson 11's measure of "sticky moves only orphans".

#include "cluster/groupcoordinator.h"
#include "cluster/groupcoordinatorinternal.h"

namespace brokerlab::cluster {

void GroupCoordinator::countMoves(Group& group)
{
    if (group.kip848)
        return;
    for (const auto& [memberId, member] : group.members) {
        for (const protocol::TopicPartition& partition : decodeAssignmentPartitions(member.assignment)) {
            auto [last, fresh] = group.lastOwner.try_emplace(partition, memberId);
            if (fresh || last->second == memberId)
                continue;
            ++group.movedPartitions;
            if (group.members.count(last->second) > 0)
                ++group.movedFromStayingMembers;
            last->second = memberId;
        }
    }
}

} // namespace brokerlab::cluster
