// The sticky assignors must give the lab's consumer groups what a Java group leader gives: a
// balanced split that keeps members on the partitions they already own, and for
// cooperative-sticky, a first rebalance that only takes away what must move.

#include "group/assignor.h"
#include "sim/rng.h"

#include <QStringList>
#include <QTest>

#include <algorithm>
#include <set>

using namespace brokerlab::group;

namespace {

// "t0-1" (the topic may itself contain '-').
TopicPartition parsePartition(const QString& text)
{
    const qsizetype dash = text.lastIndexOf(QLatin1Char('-'));
    return TopicPartition { text.left(dash).toStdString(), text.mid(dash + 1).toInt() };
}

// "C0:t0,t1" subscribes C0 to t0 and t1; "C0:t0|t0-0,t0-2@3" also says it owns t0-0 and t0-2 from
// generation 3; "C0/i-1:t0" gives it group.instance.id i-1.
std::vector<MemberSubscription> parseMembers(const QStringList& specs)
{
    std::vector<MemberSubscription> members;
    for (const QString& spec : specs) {
        const QString identity = spec.section(QLatin1Char(':'), 0, 0);
        const QString rest = spec.section(QLatin1Char(':'), 1);
        const QString topics = rest.section(QLatin1Char('|'), 0, 0);
        const QString owned = rest.section(QLatin1Char('|'), 1);
        MemberSubscription member;
        member.memberId = identity.section(QLatin1Char('/'), 0, 0).toStdString();
        if (identity.contains(QLatin1Char('/')))
            member.groupInstanceId = identity.section(QLatin1Char('/'), 1).toStdString();
        for (const QString& topic : topics.split(QLatin1Char(','), Qt::SkipEmptyParts))
            member.topics.push_back(topic.toStdString());
        if (!owned.isEmpty()) {
            const QString list = owned.section(QLatin1Char('@'), 0, 0);
            for (const QString& partition : list.split(QLatin1Char(','), Qt::SkipEmptyParts))
                member.ownedPartitions.push_back(parsePartition(partition));
            if (owned.contains(QLatin1Char('@')))
                member.generation = owned.section(QLatin1Char('@'), 1).toInt();
        }
        members.push_back(std::move(member));
    }
    return members;
}

std::map<std::string, std::int32_t> parseTopics(const QString& spec)
{
    std::map<std::string, std::int32_t> topics;
    for (const QString& entry : spec.split(QLatin1Char(','), Qt::SkipEmptyParts))
        topics[entry.section(QLatin1Char('='), 0, 0).toStdString()] = entry.section(QLatin1Char('='), 1).toInt();
    return topics;
}

QString describe(const Assignment& assignment)
{
    QStringList members;
    for (const auto& [memberId, partitions] : assignment) {
        QStringList names;
        for (const TopicPartition& partition : partitions)
            names.append(QString::fromStdString(toString(partition)));
        members.append(QString::fromStdString(memberId) + QLatin1Char('[') + names.join(QLatin1Char(' '))
            + QLatin1Char(']'));
    }
    return members.join(QLatin1Char(' '));
}

bool subscribes(const MemberSubscription& member, const std::string& topic)
{
    return std::find(member.topics.begin(), member.topics.end(), topic) != member.topics.end();
}

// The next generation's subscriptions: every member now owns what it was assigned.
void adopt(std::vector<MemberSubscription>& members, const Assignment& assignment, std::int32_t generation)
{
    for (MemberSubscription& member : members) {
        member.ownedPartitions = assignment.at(member.memberId);
        member.generation = generation;
    }
}

struct Shape {
    std::vector<MemberSubscription> members;
    std::map<std::string, std::int32_t> partitionsPerTopic;
    std::vector<std::string> topics;
    bool sameSubscriptions = false;
};

// 1-50 members, 1-10 topics of 1-100 partitions; identical subscriptions in about half of the
// shapes; about a third of the members static.
Shape randomShape(brokerlab::sim::Rng& rng, std::int64_t maxMembers = 50)
{
    Shape shape;
    const auto topicCount = rng.uniformInt(1, 10);
    for (std::int64_t t = 0; t < topicCount; ++t) {
        shape.topics.push_back("topic-" + std::to_string(t));
        shape.partitionsPerTopic[shape.topics.back()] = static_cast<std::int32_t>(rng.uniformInt(1, 100));
    }
    shape.sameSubscriptions = rng.bernoulli(0.5);
    const auto memberCount = rng.uniformInt(1, maxMembers);
    for (std::int64_t m = 0; m < memberCount; ++m) {
        MemberSubscription member;
        member.memberId = "consumer-" + std::to_string(m) + "-" + std::to_string(rng.uniformInt(0, 9999));
        if (rng.bernoulli(0.3))
            member.groupInstanceId = "instance-" + std::to_string(m);
        for (const std::string& topic : shape.topics) {
            if (shape.sameSubscriptions || rng.bernoulli(0.5))
                member.topics.push_back(topic);
        }
        if (member.topics.empty())
            member.topics.push_back(shape.topics[static_cast<std::size_t>(rng.uniformInt(0, topicCount - 1))]);
        shape.members.push_back(std::move(member));
    }
    return shape;
}

MemberSubscription newMember(const Shape& shape, brokerlab::sim::Rng& rng)
{
    MemberSubscription member;
    member.memberId = "joiner-" + std::to_string(rng.uniformInt(0, 9999));
    for (const std::string& topic : shape.topics) {
        if (shape.sameSubscriptions || rng.bernoulli(0.5))
            member.topics.push_back(topic);
    }
    if (member.topics.empty())
        member.topics.push_back(shape.topics.front());
    return member;
}

// Every partition of every subscribed topic goes to exactly one member that subscribes to it
// (allowUnassigned: at most one, for cooperative's first step); every member has an entry.
QString validityError(const std::vector<MemberSubscription>& members,
    const std::map<std::string, std::int32_t>& partitionsPerTopic, const Assignment& assignment,
    bool allowUnassigned = false)
{
    if (assignment.size() != members.size())
        return QStringLiteral("%1 entries for %2 members").arg(assignment.size()).arg(members.size());
    std::map<std::string, const MemberSubscription*> byId;
    for (const MemberSubscription& member : members)
        byId[member.memberId] = &member;
    std::map<TopicPartition, int> owners;
    for (const auto& [memberId, partitions] : assignment) {
        if (!byId.count(memberId))
            return QStringLiteral("unknown member %1").arg(QString::fromStdString(memberId));
        if (!std::is_sorted(partitions.begin(), partitions.end()))
            return QStringLiteral("unsorted list for %1").arg(QString::fromStdString(memberId));
        for (const TopicPartition& partition : partitions) {
            if (!subscribes(*byId.at(memberId), partition.topic))
                return QStringLiteral("%1 got %2 without subscribing")
                    .arg(QString::fromStdString(memberId), QString::fromStdString(toString(partition)));
            ++owners[partition];
        }
    }
    std::set<std::string> subscribed;
    for (const MemberSubscription& member : members)
        subscribed.insert(member.topics.begin(), member.topics.end());
    for (const auto& [topic, count] : partitionsPerTopic) {
        for (std::int32_t p = 0; p < count; ++p) {
            const int times = owners.count({ topic, p }) ? owners.at({ topic, p }) : 0;
            const int expected = subscribed.count(topic) ? 1 : 0;
            if (times > expected || (!allowUnassigned && times != expected))
                return QStringLiteral("%1-%2 assigned %3 times").arg(QString::fromStdString(topic)).arg(p).arg(times);
        }
    }
    return {};
}

// Kafka's balance criterion for any subscriptions: a member holding two or more partitions more
// than another holds none that the other could take.
QString balanceError(const std::vector<MemberSubscription>& members, const Assignment& assignment)
{
    for (const MemberSubscription& large : members) {
        for (const MemberSubscription& small : members) {
            const auto& mine = assignment.at(large.memberId);
            if (mine.size() <= assignment.at(small.memberId).size() + 1)
                continue;
            for (const TopicPartition& partition : mine) {
                if (subscribes(small, partition.topic))
                    return QStringLiteral("%1 holds %2 partitions including %3, %4 only %5")
                        .arg(QString::fromStdString(large.memberId))
                        .arg(mine.size())
                        .arg(QString::fromStdString(toString(partition)), QString::fromStdString(small.memberId))
                        .arg(assignment.at(small.memberId).size());
            }
        }
    }
    return {};
}

std::pair<std::size_t, std::size_t> sizeRange(const Assignment& assignment)
{
    std::size_t fewest = std::numeric_limits<std::size_t>::max();
    std::size_t most = 0;
    for (const auto& [memberId, partitions] : assignment) {
        fewest = std::min(fewest, partitions.size());
        most = std::max(most, partitions.size());
    }
    return { fewest, most };
}

// How many partitions members keep from what they owned.
std::size_t keptCount(const std::vector<MemberSubscription>& members, const Assignment& assignment)
{
    std::size_t kept = 0;
    for (const MemberSubscription& member : members) {
        const auto& now = assignment.at(member.memberId);
        for (const TopicPartition& partition : member.ownedPartitions)
            kept += std::binary_search(now.begin(), now.end(), partition) ? 1 : 0;
    }
    return kept;
}

// With identical subscriptions the best any balanced assignment can do: the `total % members`
// larger slots go to the members owning the most, and each member keeps up to its slot.
std::size_t mostKeepable(const std::vector<MemberSubscription>& members, std::size_t total)
{
    std::vector<std::size_t> owned;
    for (const MemberSubscription& member : members)
        owned.push_back(member.ownedPartitions.size());
    std::sort(owned.rbegin(), owned.rend());
    const std::size_t minQuota = total / members.size();
    std::size_t larger = total % members.size();
    std::size_t kept = 0;
    for (const std::size_t count : owned) {
        const std::size_t slot = minQuota + (larger > 0 ? 1 : 0);
        if (larger > 0)
            --larger;
        kept += std::min(count, slot);
    }
    return kept;
}

std::size_t partitionTotal(const Shape& shape)
{
    std::set<std::string> subscribed;
    for (const MemberSubscription& member : shape.members)
        subscribed.insert(member.topics.begin(), member.topics.end());
    std::size_t total = 0;
    for (const auto& [topic, count] : shape.partitionsPerTopic)
        total += subscribed.count(topic) ? static_cast<std::size_t>(count) : 0;
    return total;
}

} // namespace

class TestStickyAssignor : public QObject {
    Q_OBJECT

private slots:
    void kafkaCases_data();
    void kafkaCases();
    void addThenRemoveConsumer();
    void multipleGenerations();
    void cooperativeKafkaCases_data();
    void cooperativeKafkaCases();
    void staticMemberRestartKeepsEverything();
    void invariantsOverManyShapes();
    void stickinessWhenMembersLeaveOrJoin();
    void cooperativeTwoStepRebalance();
    void revokedPartitionsHelper();
    void dispatchAndSupport();
};

void TestStickyAssignor::kafkaCases_data()
{
    QTest::addColumn<QStringList>("members");
    QTest::addColumn<QString>("topics");
    QTest::addColumn<QString>("expected");
    // Cases from Kafka's sticky assignor tests and StickyAssignor's documentation.
    QTest::addRow("one consumer, no topic") << QStringList { QStringLiteral("c1:") } << QStringLiteral("t=3")
                                            << QStringLiteral("c1[]");
    QTest::addRow("one consumer, nonexistent topic")
        << QStringList { QStringLiteral("c1:t") } << QString() << QStringLiteral("c1[]");
    QTest::addRow("one consumer, one topic")
        << QStringList { QStringLiteral("c1:t") } << QStringLiteral("t=3") << QStringLiteral("c1[t-0 t-1 t-2]");
    QTest::addRow("only subscribed topics") << QStringList { QStringLiteral("c1:t") }
                                            << QStringLiteral("t=3,other=3") << QStringLiteral("c1[t-0 t-1 t-2]");
    QTest::addRow("one consumer, multiple topics")
        << QStringList { QStringLiteral("c1:t1,t2") } << QStringLiteral("t1=1,t2=2")
        << QStringLiteral("c1[t1-0 t2-0 t2-1]");
    QTest::addRow("two consumers, one partition")
        << QStringList { QStringLiteral("c1:t"), QStringLiteral("c2:t") } << QStringLiteral("t=1")
        << QStringLiteral("c1[t-0] c2[]");
    QTest::addRow("two consumers, two partitions")
        << QStringList { QStringLiteral("c1:t"), QStringLiteral("c2:t") } << QStringLiteral("t=2")
        << QStringLiteral("c1[t-0] c2[t-1]");
    QTest::addRow("mixed topic subscriptions")
        << QStringList { QStringLiteral("c1:topic1"), QStringLiteral("c2:topic1,topic2"), QStringLiteral("c3:topic1") }
        << QStringLiteral("topic1=3,topic2=2")
        << QStringLiteral("c1[topic1-0 topic1-2] c2[topic2-0 topic2-1] c3[topic1-1]");
    QTest::addRow("two consumers, two topics of three")
        << QStringList { QStringLiteral("c1:topic1,topic2"), QStringLiteral("c2:topic1,topic2") }
        << QStringLiteral("topic1=3,topic2=3")
        << QStringLiteral("c1[topic1-0 topic1-2 topic2-1] c2[topic1-1 topic2-0 topic2-2]");
    // StickyAssignor's documentation, example 1 and example 2 (before and after C0 leaves).
    QTest::addRow("documentation example 1")
        << QStringList { QStringLiteral("C0:t0,t1,t2,t3"), QStringLiteral("C1:t0,t1,t2,t3"),
               QStringLiteral("C2:t0,t1,t2,t3") }
        << QStringLiteral("t0=2,t1=2,t2=2,t3=2")
        << QStringLiteral("C0[t0-0 t1-1 t3-0] C1[t0-1 t2-0 t3-1] C2[t1-0 t2-1]");
    QTest::addRow("documentation example 2")
        << QStringList { QStringLiteral("C0:t0"), QStringLiteral("C1:t0,t1"), QStringLiteral("C2:t0,t1,t2") }
        << QStringLiteral("t0=1,t1=2,t2=3") << QStringLiteral("C0[t0-0] C1[t1-0 t1-1] C2[t2-0 t2-1 t2-2]");
    QTest::addRow("documentation example 2, C0 leaves")
        << QStringList { QStringLiteral("C1:t0,t1|t1-0,t1-1@1"), QStringLiteral("C2:t0,t1,t2|t2-0,t2-1,t2-2@1") }
        << QStringLiteral("t0=1,t1=2,t2=3") << QStringLiteral("C1[t0-0 t1-0 t1-1] C2[t2-0 t2-1 t2-2]");
    // Two members of the same generation claiming a partition: neither claim stands.
    QTest::addRow("same-generation double claim, equal shares")
        << QStringList { QStringLiteral("c1:t|t-0,t-1@1"), QStringLiteral("c2:t|t-0,t-2@1"), QStringLiteral("c3:t") }
        << QStringLiteral("t=3") << QStringLiteral("c1[t-1] c2[t-2] c3[t-0]");
    QTest::addRow("same-generation double claim, unequal shares")
        << QStringList { QStringLiteral("c1:t|t-0,t-1@1"), QStringLiteral("c2:t|t-0,t-2@1"), QStringLiteral("c3:t") }
        << QStringLiteral("t=4") << QStringLiteral("c1[t-1 t-3] c2[t-2] c3[t-0]");
    // A stale generation's claims give way to the newer generation's.
    QTest::addRow("stale generation loses its claims")
        << QStringList { QStringLiteral("c1:t1,t2|t1-0,t1-1,t2-0@5"), QStringLiteral("c2:t1,t2|t1-0,t1-1,t2-0@4"),
               QStringLiteral("c3:t1,t2|t1-2,t2-1,t2-2@5") }
        << QStringLiteral("t1=3,t2=3") << QStringLiteral("c1[t1-0 t1-1] c2[t2-0 t2-2] c3[t1-2 t2-1]");
    // Claims to partitions or topics that no longer exist are dropped.
    QTest::addRow("claims on deleted partitions")
        << QStringList { QStringLiteral("c1:t|t-5,gone-0,t-1@2"), QStringLiteral("c2:t") } << QStringLiteral("t=2")
        << QStringLiteral("c1[t-1] c2[t-0]");
}

void TestStickyAssignor::kafkaCases()
{
    QFETCH(QStringList, members);
    QFETCH(QString, topics);
    QFETCH(QString, expected);
    QCOMPARE(describe(assignSticky(parseMembers(members), parseTopics(topics))), expected);
}

void TestStickyAssignor::addThenRemoveConsumer()
{
    // Kafka's testAddRemoveConsumerOneTopic.
    const auto topics = parseTopics(QStringLiteral("t=3"));
    std::vector<MemberSubscription> members = parseMembers({ QStringLiteral("c1:t") });
    Assignment assignment = assignSticky(members, topics);
    QCOMPARE(describe(assignment), QStringLiteral("c1[t-0 t-1 t-2]"));

    adopt(members, assignment, 1);
    members.push_back(parseMembers({ QStringLiteral("c2:t") }).front());
    assignment = assignSticky(members, topics);
    QCOMPARE(describe(assignment), QStringLiteral("c1[t-0 t-1] c2[t-2]"));

    adopt(members, assignment, 2);
    members.erase(members.begin());
    assignment = assignSticky(members, topics);
    QCOMPARE(describe(assignment), QStringLiteral("c2[t-0 t-1 t-2]"));
}

void TestStickyAssignor::multipleGenerations()
{
    // Kafka's testAssignmentWithMultipleGenerations1: a member returning with an old generation
    // cannot take back partitions a newer generation handed to someone else.
    const auto topics = parseTopics(QStringLiteral("t=6"));
    std::vector<MemberSubscription> round1
        = parseMembers({ QStringLiteral("c1:t"), QStringLiteral("c2:t"), QStringLiteral("c3:t") });
    const Assignment first = assignSticky(round1, topics);
    for (const auto& [member, partitions] : first)
        QCOMPARE(partitions.size(), std::size_t(2));

    adopt(round1, first, 1);
    std::vector<MemberSubscription> round2 { round1[0], round1[1] }; // c3 leaves
    const Assignment second = assignSticky(round2, topics);
    QCOMPARE(second.at("c1").size(), std::size_t(3));
    QCOMPARE(second.at("c2").size(), std::size_t(3));
    QCOMPARE(keptCount(round2, second), std::size_t(4));

    adopt(round2, second, 2);
    MemberSubscription staleC3 = round1[2]; // back with its generation-1 partitions
    std::vector<MemberSubscription> round3 { round2[1], staleC3 }; // c1 leaves
    const Assignment third = assignSticky(round3, topics);
    QCOMPARE(third.at("c2"), second.at("c2"));
    QCOMPARE(third.at("c3").size(), std::size_t(3));
    QVERIFY(validityError(round3, topics, third).isEmpty());
}

void TestStickyAssignor::cooperativeKafkaCases_data()
{
    QTest::addColumn<QStringList>("members");
    QTest::addColumn<QString>("topics");
    QTest::addColumn<QString>("expected");
    QTest::addRow("first assignment gives everything")
        << QStringList { QStringLiteral("c1:t"), QStringLiteral("c2:t") } << QStringLiteral("t=3")
        << QStringLiteral("c1[t-0 t-2] c2[t-1]");
    // A joining member waits one rebalance for what c1 must give up.
    QTest::addRow("member joins") << QStringList { QStringLiteral("c1:t|t-0,t-1,t-2@1"), QStringLiteral("c2:t") }
                                  << QStringLiteral("t=3") << QStringLiteral("c1[t-0 t-1] c2[]");
    QTest::addRow("after the revocation")
        << QStringList { QStringLiteral("c1:t|t-0,t-1@2"), QStringLiteral("c2:t|@2") } << QStringLiteral("t=3")
        << QStringLiteral("c1[t-0 t-1] c2[t-2]");
    // A leaving member's partitions are unowned: they move at once.
    QTest::addRow("member leaves") << QStringList { QStringLiteral("c2:t|t-2@2") } << QStringLiteral("t=3")
                                   << QStringLiteral("c2[t-0 t-1 t-2]");
    // A partition claimed twice in one generation is withheld from everyone this time.
    QTest::addRow("same-generation double claim")
        << QStringList { QStringLiteral("c1:t|t-0,t-1@1"), QStringLiteral("c2:t|t-0,t-2@1"), QStringLiteral("c3:t") }
        << QStringLiteral("t=3") << QStringLiteral("c1[t-1] c2[t-2] c3[]");
}

void TestStickyAssignor::cooperativeKafkaCases()
{
    QFETCH(QStringList, members);
    QFETCH(QString, topics);
    QFETCH(QString, expected);
    QCOMPARE(describe(assignCooperativeSticky(parseMembers(members), parseTopics(topics))), expected);
}

void TestStickyAssignor::staticMemberRestartKeepsEverything()
{
    // A static member that restarts comes back with a new member id but the same
    // group.instance.id and owned partitions: nothing moves.
    const auto topics = parseTopics(QStringLiteral("a=7,b=5"));
    std::vector<MemberSubscription> members = parseMembers(
        { QStringLiteral("m1/i-1:a,b"), QStringLiteral("m2/i-2:a,b"), QStringLiteral("m3:a,b") });
    const Assignment before = assignCooperativeSticky(members, topics);
    adopt(members, before, 1);
    members[0].memberId = "m9"; // i-1 restarted
    const Assignment after = assignCooperativeSticky(members, topics);
    QCOMPARE(after.at("m9"), before.at("m1"));
    QCOMPARE(after.at("m2"), before.at("m2"));
    QCOMPARE(after.at("m3"), before.at("m3"));
}

void TestStickyAssignor::invariantsOverManyShapes()
{
    brokerlab::sim::Rng rng(4242);
    for (int round = 0; round < 120; ++round) {
        const Shape shape = randomShape(rng);
        for (const AssignorKind kind : { AssignorKind::Sticky, AssignorKind::CooperativeSticky }) {
            const AssignResult result = assign(kind, shape.members, shape.partitionsPerTopic);
            QVERIFY(result.ok());
            const QString context = QStringLiteral("round %1 %2").arg(round).arg(QLatin1String(assignorName(kind)));
            // Nobody owns anything yet, so cooperative withholds nothing.
            const QString invalid = validityError(shape.members, shape.partitionsPerTopic, result.assignment);
            QVERIFY2(invalid.isEmpty(), qPrintable(context + QLatin1String(": ") + invalid));
            const QString unbalanced = balanceError(shape.members, result.assignment);
            QVERIFY2(unbalanced.isEmpty(), qPrintable(context + QLatin1String(": ") + unbalanced));
            if (shape.sameSubscriptions) {
                const auto [fewest, most] = sizeRange(result.assignment);
                QVERIFY2(most - fewest <= 1, qPrintable(context));
            }
            // Kafka receives members as a map: the order we list them in must not matter.
            std::vector<MemberSubscription> reversed(shape.members.rbegin(), shape.members.rend());
            QCOMPARE(describe(assign(kind, reversed, shape.partitionsPerTopic).assignment),
                describe(result.assignment));
        }
    }
}

void TestStickyAssignor::stickinessWhenMembersLeaveOrJoin()
{
    brokerlab::sim::Rng rng(777);
    for (int round = 0; round < 120; ++round) {
        Shape shape = randomShape(rng);
        adopt(shape.members, assignSticky(shape.members, shape.partitionsPerTopic), 1);
        const bool leave = shape.members.size() > 1 && rng.bernoulli(0.5);
        if (leave) {
            const auto index = static_cast<std::size_t>(rng.uniformInt(0, static_cast<std::int64_t>(shape.members.size()) - 1));
            shape.members.erase(shape.members.begin() + static_cast<std::ptrdiff_t>(index));
        } else {
            shape.members.push_back(newMember(shape, rng));
        }
        const Assignment next = assignSticky(shape.members, shape.partitionsPerTopic);
        const QString context = QStringLiteral("round %1 (%2, %3 subscriptions)")
                                    .arg(round)
                                    .arg(leave ? QLatin1String("leave") : QLatin1String("join"))
                                    .arg(shape.sameSubscriptions ? QLatin1String("same") : QLatin1String("differing"));
        const QString invalid = validityError(shape.members, shape.partitionsPerTopic, next);
        QVERIFY2(invalid.isEmpty(), qPrintable(context + QLatin1String(": ") + invalid));
        const QString unbalanced = balanceError(shape.members, next);
        QVERIFY2(unbalanced.isEmpty(), qPrintable(context + QLatin1String(": ") + unbalanced));

        const std::size_t kept = keptCount(shape.members, next);
        if (shape.sameSubscriptions) {
            // No balanced assignment could keep more; when a member leaves, only its partitions
            // and what balance forces move.
            QCOMPARE(kept, mostKeepable(shape.members, partitionTotal(shape)));
        }
    }
}

void TestStickyAssignor::cooperativeTwoStepRebalance()
{
    brokerlab::sim::Rng rng(31337);
    for (int round = 0; round < 120; ++round) {
        Shape shape = randomShape(rng);
        adopt(shape.members, assignCooperativeSticky(shape.members, shape.partitionsPerTopic), 1);
        if (shape.members.size() > 1 && rng.bernoulli(0.5))
            shape.members.erase(shape.members.begin()
                + static_cast<std::ptrdiff_t>(rng.uniformInt(0, static_cast<std::int64_t>(shape.members.size()) - 1)));
        else
            shape.members.push_back(newMember(shape, rng));
        const QString context = QStringLiteral("round %1 (%2 subscriptions)")
                                    .arg(round)
                                    .arg(shape.sameSubscriptions ? QLatin1String("same") : QLatin1String("differing"));

        // First rebalance: the sticky assignment, minus what would move between two members.
        const Assignment sticky = assignSticky(shape.members, shape.partitionsPerTopic);
        const Assignment first = assignCooperativeSticky(shape.members, shape.partitionsPerTopic);
        QString invalid = validityError(shape.members, shape.partitionsPerTopic, first, true);
        QVERIFY2(invalid.isEmpty(), qPrintable(context + QLatin1String(": ") + invalid));
        std::map<TopicPartition, std::string> ownerBefore;
        for (const MemberSubscription& member : shape.members) {
            for (const TopicPartition& partition : member.ownedPartitions)
                ownerBefore[partition] = member.memberId;
        }
        for (const MemberSubscription& member : shape.members) {
            const auto& mine = first.at(member.memberId);
            std::vector<TopicPartition> expected;
            for (const TopicPartition& partition : sticky.at(member.memberId)) {
                const auto owner = ownerBefore.find(partition);
                if (owner == ownerBefore.end() || owner->second == member.memberId)
                    expected.push_back(partition);
            }
            QVERIFY2(mine == expected, qPrintable(context + QLatin1String(": ") + QString::fromStdString(member.memberId)));
            // What the member revokes is exactly what moves away: a partition that stays is never revoked.
            for (const TopicPartition& partition : revokedPartitions(member.ownedPartitions, mine)) {
                const auto& stickyMine = sticky.at(member.memberId);
                QVERIFY2(!std::binary_search(stickyMine.begin(), stickyMine.end(), partition), qPrintable(context));
            }
        }

        // Members revoke, rejoin with what they kept, and the follow-up rebalance assigns the rest.
        // With identical subscriptions one follow-up always settles it. With differing ones the
        // general algorithm may place a withheld partition elsewhere and need another step; Kafka's
        // own cooperative tests allow up to four follow-ups, and so do we.
        Assignment current = first;
        int followUps = 0;
        for (;;) {
            adopt(shape.members, current, 2 + followUps);
            current = assignCooperativeSticky(shape.members, shape.partitionsPerTopic);
            ++followUps;
            const bool settled = validityError(shape.members, shape.partitionsPerTopic, current).isEmpty()
                && std::all_of(shape.members.begin(), shape.members.end(), [&current](const MemberSubscription& member) {
                       return revokedPartitions(member.ownedPartitions, current.at(member.memberId)).empty();
                   });
            if (settled)
                break;
            invalid = validityError(shape.members, shape.partitionsPerTopic, current, true);
            QVERIFY2(invalid.isEmpty(), qPrintable(context + QLatin1String(" follow-up: ") + invalid));
            QVERIFY2(followUps < 4, qPrintable(context + QLatin1String(": no convergence")));
        }
        if (shape.sameSubscriptions) {
            QCOMPARE(followUps, 1);
            QCOMPARE(describe(current), describe(sticky));
        }
        const QString unbalanced = balanceError(shape.members, current);
        QVERIFY2(unbalanced.isEmpty(), qPrintable(context + QLatin1String(" settled: ") + unbalanced));
    }
}

void TestStickyAssignor::revokedPartitionsHelper()
{
    const std::vector<TopicPartition> owned { { "b", 1 }, { "a", 2 }, { "a", 0 }, { "a", 2 } };
    const std::vector<TopicPartition> assigned { { "a", 0 }, { "c", 9 } };
    const std::vector<TopicPartition> expected { { "a", 2 }, { "b", 1 } };
    QVERIFY(revokedPartitions(owned, assigned) == expected);
    QVERIFY(revokedPartitions({}, assigned).empty());
    QVERIFY(revokedPartitions(owned, owned).empty());
}

void TestStickyAssignor::dispatchAndSupport()
{
    const std::vector<MemberSubscription> members
        = parseMembers({ QStringLiteral("C0:t0,t1|t0-0@1"), QStringLiteral("C1:t0,t1") });
    const auto topics = parseTopics(QStringLiteral("t0=3,t1=3"));
    QVERIFY(isSupported(AssignorKind::Sticky));
    QVERIFY(isSupported(AssignorKind::CooperativeSticky));
    QCOMPARE(describe(assign(AssignorKind::Sticky, members, topics).assignment), describe(assignSticky(members, topics)));
    QCOMPARE(describe(assign(AssignorKind::CooperativeSticky, members, topics).assignment),
        describe(assignCooperativeSticky(members, topics)));
}

QTEST_GUILESS_MAIN(TestStickyAssignor)
#include "test_stickyassignor.moc"
