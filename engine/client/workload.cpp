#include "client/workload.h"

#include "client/workloadtext.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numbers>
#include <span>

namespace brokerlab::client {

namespace {

constexpr std::array<std::string_view, 6> kKindNames = {
    "orders", "ride_requests", "page_views", "log_lines", "sensor_metrics", "bytes",
};
constexpr std::array<std::string_view, 4> kKeyDistributionNames = { "null", "uniform", "zipf", "sequential" };

std::string_view defaultKeyPrefix(WorkloadKind kind)
{
    switch (kind) {
    case WorkloadKind::Orders:
        return "customer-";
    case WorkloadKind::RideRequests:
        return "rider-";
    case WorkloadKind::PageViews:
        return "user-";
    case WorkloadKind::LogLines:
        return "service-";
    case WorkloadKind::SensorMetrics:
        return "device-";
    case WorkloadKind::FixedBytes:
        break;
    }
    return "key-";
}

using namespace workloadtext; // formatting and choice helpers shared by every generator

// ---- Tables. Weights are rough shares seen in public traffic reports; they only need to look
// plausible in a lesson.

using Text = std::string_view;

constexpr Weighted<int> kItemsPerOrder[] = { { 1, 50 }, { 2, 27 }, { 3, 13 }, { 4, 6 }, { 5, 4 } };
constexpr Weighted<int> kQuantities[] = { { 1, 72 }, { 2, 19 }, { 3, 6 }, { 4, 2 }, { 6, 1 } };
constexpr Weighted<Text> kCurrencies[] = { { "EUR", 68 }, { "USD", 20 }, { "GBP", 9 }, { "CHF", 3 } };
constexpr Weighted<Text> kOrderStatuses[] = {
    { "created", 55 }, { "paid", 24 }, { "shipped", 12 }, { "delivered", 7 }, { "cancelled", 2 },
};
constexpr Weighted<Text> kPaymentMethods[] = {
    { "card", 58 }, { "paypal", 21 }, { "apple_pay", 9 }, { "google_pay", 6 }, { "invoice", 6 },
};
constexpr int kSkuCount = 500;
constexpr int kFirstSku = 1000;

struct City {
    Text name;
    double latitude;
    double longitude;
    int utcOffsetHours; // standard time; daylight saving does not matter for surge pricing here
};
constexpr City kCities[] = {
    { "Berlin", 52.5200, 13.4050, 1 },
    { "Paris", 48.8566, 2.3522, 1 },
    { "London", 51.5074, -0.1278, 0 },
    { "Madrid", 40.4168, -3.7038, 1 },
    { "Amsterdam", 52.3676, 4.9041, 1 },
    { "New York", 40.7128, -74.0060, -5 },
    { "Chicago", 41.8781, -87.6298, -6 },
    { "Toronto", 43.6532, -79.3832, -5 },
    { "Sao Paulo", -23.5505, -46.6333, -3 },
    { "Tokyo", 35.6762, 139.6503, 9 },
    { "Singapore", 1.3521, 103.8198, 8 },
    { "Sydney", -33.8688, 151.2093, 10 },
};
constexpr Weighted<Text> kVehicleClasses[] = {
    { "economy", 55 }, { "comfort", 22 }, { "xl", 12 }, { "green", 6 }, { "black", 5 },
};
constexpr Weighted<int> kPassengers[] = { { 1, 66 }, { 2, 22 }, { 3, 8 }, { 4, 4 } };

enum class Page { Home, Search, Category, Product, Cart, Checkout, Confirmation, Account, Orders, Blog, Help };
constexpr Weighted<Page> kPages[] = {
    { Page::Home, 15 }, { Page::Search, 12 }, { Page::Category, 18 }, { Page::Product, 30 }, { Page::Cart, 7 },
    { Page::Checkout, 3 }, { Page::Confirmation, 1 }, { Page::Account, 3 }, { Page::Orders, 2 }, { Page::Blog, 6 },
    { Page::Help, 3 },
};
constexpr Text kCategories[] = { "shoes", "jackets", "bags", "accessories", "sale", "new-arrivals", "kids", "sports" };
constexpr Text kSearchTerms[]
    = { "running+shoes", "rain+jacket", "backpack", "gift+card", "sneakers", "wool+socks", "yoga+mat", "sunglasses" };
constexpr Text kBlogPosts[]
    = { "how-to-choose-running-shoes", "spring-lookbook", "leather-care-guide", "size-guide", "packing-light" };
constexpr Text kHelpPages[] = { "shipping", "returns", "payment", "contact" };
constexpr Text kSiteOrigin = "https://shop.example.com";
constexpr Weighted<Text> kReferrers[] = {
    { "", 34 }, // direct: null referrer
    { "https://www.google.com/", 34 },
    { "https://www.bing.com/", 4 },
    { "https://duckduckgo.com/", 3 },
    { "https://l.facebook.com/", 5 },
    { "https://www.instagram.com/", 4 },
    { "https://t.co/", 2 },
    { "internal", 14 },
};
constexpr Weighted<Text> kBrowsers[] = {
    { "Chrome", 64 }, { "Safari", 19 }, { "Edge", 5 }, { "Firefox", 3 }, { "Samsung Internet", 3 }, { "Opera", 2 },
    { "Googlebot", 2 }, { "Other", 2 },
};
constexpr Weighted<Text> kDevices[] = { { "mobile", 58 }, { "desktop", 39 }, { "tablet", 3 } };

enum class Level { Debug, Info, Warn, Error, Fatal };
constexpr Weighted<Level> kLevels[] = {
    { Level::Debug, 150 }, { Level::Info, 700 }, { Level::Warn, 100 }, { Level::Error, 45 }, { Level::Fatal, 5 },
};
constexpr Text kLevelNames[] = { "DEBUG", "INFO", "WARN", "ERROR", "FATAL" };
constexpr Text kPeerServices[] = { "payments", "inventory", "auth", "search", "shipping", "pricing", "notifications" };

constexpr Weighted<Text> kFirmware[] = { { "2.3.1", 60 }, { "2.4.0", 35 }, { "2.2.7", 5 } };

// FixedBytes values are windows into one pre-generated printable buffer. The window start moves
// by an odd stride modulo a power of two, so it visits every start before repeating and a record
// costs one memcpy. Neighbouring windows overlap now and then, so batches compress somewhat
// better than truly random bytes would.
constexpr std::size_t kBytePoolWindow = 65536;
constexpr std::size_t kBytePoolStride = 40503;
constexpr Text kPrintable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Bytes workloads with at most this many keys format every key once up front (a few hundred KB at
// most), so a keyed record costs a memcpy instead of an integer-to-text conversion.
constexpr std::int64_t kMaxPreformattedKeys = 65536;

// Eight lowercase hex digits of `value`, most significant first, as the 8 bytes of a uint64 in
// memory order (little-endian hosts), without a loop: spread the nibbles into bytes, then map
// 0-9 and a-f with one add each.
std::uint64_t hexDigits(std::uint32_t value)
{
    std::uint64_t n = value;
    n = ((n & 0xFFFF0000ULL) << 16) | (n & 0x0000FFFFULL);
    n = ((n & 0x0000FF000000FF00ULL) << 8) | (n & 0x000000FF000000FFULL);
    n = ((n & 0x00F000F000F000F0ULL) << 4) | (n & 0x000F000F000F000FULL);
    // Each byte now holds one nibble, the most significant in the highest byte.
    const std::uint64_t letters = ((n + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;
    n += 0x3030303030303030ULL + letters * ('a' - '0' - 10);
    if constexpr (std::endian::native == std::endian::little)
        n = __builtin_bswap64(n);
    return n;
}

void assignHeader(log::RecordHeader& header, std::string_view key, std::string_view value)
{
    header.key.assign(key);
    if (header.value)
        header.value->assign(value);
    else
        header.value.emplace(value);
}

} // namespace

std::string_view workloadKindName(WorkloadKind kind)
{
    return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<WorkloadKind> workloadKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kKindNames.size(); ++i) {
        if (kKindNames[i] == name)
            return static_cast<WorkloadKind>(i);
    }
    return std::nullopt;
}

std::string_view keyDistributionName(KeyDistribution distribution)
{
    return kKeyDistributionNames[static_cast<std::size_t>(distribution)];
}

std::optional<KeyDistribution> keyDistributionFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kKeyDistributionNames.size(); ++i) {
        if (kKeyDistributionNames[i] == name)
            return static_cast<KeyDistribution>(i);
    }
    return std::nullopt;
}

struct Workload::State {
    State(const WorkloadSpec& spec, std::uint64_t seed);

    std::int64_t pickEntity(KeyDistribution keys, std::int64_t sequence);

    void writeOrder(std::int64_t sequence, std::int64_t timestampMs, std::string& out);
    void writeRideRequest(std::int64_t sequence, std::int64_t timestampMs, std::string& out);
    void appendSitePath(std::string& out);
    void writePageView(std::int64_t sequence, std::int64_t timestampMs, std::string& out);
    void writeLogLine(std::int64_t timestampMs, std::string& out);
    void writeSensorMetric(std::int64_t timestampMs, std::string& out);

    // Keys and values draw from separate streams: switching the key distribution (say uniform to
    // null) changes the keys only, and the values stay comparable between two runs.
    sim::Rng keyRng;
    sim::Rng valueRng;
    std::uint64_t traitSeed = 0;
    std::int64_t keyCount = 1;
    std::string keyPrefix;
    bool keyByHost = false; // log_lines: the entity is a host, not a service
    std::optional<sim::ZipfDistribution> keyZipf;

    // The record being written: its entity (the key's number, or a drawn id for null keys), the
    // entity's text (the key) and its trace id.
    std::int64_t entity = 0;
    std::string entityText;
    std::uint64_t traceHigh = 0;
    std::uint64_t traceLow = 0;

    // Orders and page views share one product catalogue with a few bestsellers.
    std::vector<std::int64_t> skuPriceCents;
    std::optional<sim::ZipfDistribution> skuPopularity;

    std::string bytePool;
    std::size_t byteOffset = 0;
    std::size_t valueBytes = 0;
    std::string keyTable; // key i is keyTable[keyOffsets[i], keyOffsets[i + 1])
    std::vector<std::uint32_t> keyOffsets;
};

Workload::State::State(const WorkloadSpec& spec, std::uint64_t seed)
{
    sim::Rng base(seed);
    keyRng = base.split();
    valueRng = base.split();
    traitSeed = base.next();
    sim::Rng setupRng = base.split();

    keyCount = std::max<std::int64_t>(spec.keyCount, 1);
    keyPrefix
        = spec.keyPrefix.empty() ? std::string(spec.keyByHost ? "host-" : defaultKeyPrefix(spec.kind)) : spec.keyPrefix;
    keyByHost = spec.keyByHost;
    if (spec.keys == KeyDistribution::Zipf)
        keyZipf.emplace(keyCount, spec.zipfExponent);

    switch (spec.kind) {
    case WorkloadKind::Orders:
    case WorkloadKind::PageViews:
        skuPriceCents.reserve(kSkuCount);
        for (int i = 0; i < kSkuCount; ++i) {
            // Shop prices: a long-tailed spread around 20, ending in .99 or .49.
            const double euros = std::clamp(setupRng.lognormal(std::log(22.0), 0.8), 2.0, 900.0);
            const std::int64_t whole = std::max<std::int64_t>(std::llround(euros), 1);
            skuPriceCents.push_back(whole * 100 - (setupRng.bernoulli(0.8) ? 1 : 51));
        }
        skuPopularity.emplace(kSkuCount, 0.9);
        break;
    case WorkloadKind::FixedBytes:
        valueBytes = static_cast<std::size_t>(std::max(spec.valueBytes, 0));
        bytePool.resize(valueBytes + kBytePoolWindow);
        for (std::size_t i = 0; i < bytePool.size(); i += 10) {
            std::uint64_t bits = setupRng.next(); // ten 6-bit characters per draw
            for (std::size_t j = i; j < std::min(i + 10, bytePool.size()); ++j, bits >>= 6)
                bytePool[j] = kPrintable[bits & 63];
        }
        if (spec.keys != KeyDistribution::Null && keyCount <= kMaxPreformattedKeys) {
            keyOffsets.reserve(static_cast<std::size_t>(keyCount) + 1);
            for (std::int64_t key = 0; key < keyCount; ++key) {
                keyOffsets.push_back(static_cast<std::uint32_t>(keyTable.size()));
                keyTable += keyPrefix;
                appendInt(keyTable, key);
            }
            keyOffsets.push_back(static_cast<std::uint32_t>(keyTable.size()));
        }
        break;
    case WorkloadKind::RideRequests:
    case WorkloadKind::LogLines:
    case WorkloadKind::SensorMetrics:
        break;
    }
}

std::int64_t Workload::State::pickEntity(KeyDistribution keys, std::int64_t sequence)
{
    switch (keys) {
    case KeyDistribution::Sequential:
        // One 64-bit division costs more than the rest of a bytes record; take the second only
        // for (unexpected) negative sequence numbers.
        return sequence >= 0 ? sequence % keyCount : ((sequence % keyCount) + keyCount) % keyCount;
    case KeyDistribution::Zipf:
        return (*keyZipf)(keyRng) - 1; // rank 1, the hottest key, is number 0
    case KeyDistribution::Null: // the key is null, but the value still names some entity
    case KeyDistribution::Uniform:
        break;
    }
    return keyRng.uniformInt(0, keyCount - 1);
}

void Workload::State::writeOrder(std::int64_t sequence, std::int64_t timestampMs, std::string& out)
{
    out += "{\"order_id\":\"o-";
    appendPadded(out, sequence, 6);
    out += "\",\"customer_id\":";
    appendQuoted(out, entityText);
    out += ",\"items\":[";

    const int itemCount = pick<int>(valueRng, kItemsPerOrder);
    std::array<std::int64_t, 5> skus {};
    std::int64_t totalCents = 0;
    for (int i = 0; i < itemCount; ++i) {
        // One line per product: redraw a repeated SKU a few times (bestsellers repeat often).
        std::int64_t sku = 0;
        for (int attempt = 0; attempt < 8; ++attempt) {
            sku = (*skuPopularity)(valueRng) - 1;
            if (std::find(skus.begin(), skus.begin() + i, sku) == skus.begin() + i)
                break;
        }
        skus[static_cast<std::size_t>(i)] = sku;
        const int quantity = pick<int>(valueRng, kQuantities);
        const std::int64_t price = skuPriceCents[static_cast<std::size_t>(sku)];
        totalCents += quantity * price;
        if (i > 0)
            out += ',';
        out += "{\"sku\":\"SKU-";
        appendInt(out, kFirstSku + sku);
        out += "\",\"qty\":";
        appendInt(out, quantity);
        out += ",\"price\":";
        appendFixed(out, price, 2);
        out += '}';
    }
    out += "],\"total\":";
    appendFixed(out, totalCents, 2);
    out += ",\"currency\":\"";
    out += pickByHash<Text>(traitHash(traitSeed, entity, 1), kCurrencies); // a customer pays in one currency
    out += "\",\"status\":\"";
    out += pick<Text>(valueRng, kOrderStatuses);
    out += "\",\"payment_method\":\"";
    out += pick<Text>(valueRng, kPaymentMethods);
    out += "\",\"ts\":";
    appendInt(out, timestampMs);
    out += '}';
}

void Workload::State::writeRideRequest(std::int64_t sequence, std::int64_t timestampMs, std::string& out)
{
    constexpr double kmPerDegree = 111.32;
    constexpr double radiansPerDegree = std::numbers::pi / 180.0;
    const City& city = kCities[traitHash(traitSeed, entity, 2) % std::size(kCities)]; // riders stay home

    const double pickupLatitude = city.latitude + valueRng.normal(0.0, 0.035);
    const double pickupLongitude
        = city.longitude + valueRng.normal(0.0, 0.035) / std::cos(city.latitude * radiansPerDegree);
    const double distanceKm = std::clamp(valueRng.lognormal(std::log(4.5), 0.7), 0.3, 80.0);
    const double bearing = valueRng.uniform(0.0, 2.0 * std::numbers::pi);
    const double dropoffLatitude = pickupLatitude + distanceKm * std::cos(bearing) / kmPerDegree;
    const double dropoffLongitude = pickupLongitude
        + distanceKm * std::sin(bearing) / (kmPerDegree * std::cos(pickupLatitude * radiansPerDegree));

    // Surge follows local rush hours.
    const std::int64_t localHour = (((timestampMs / 3600000 + city.utcOffsetHours) % 24) + 24) % 24;
    const bool rushHour = (localHour >= 7 && localHour <= 9) || (localHour >= 17 && localHour <= 19);
    // The same draws whatever the city and hour, so records of different riders stay aligned on
    // the value stream.
    const bool surging = valueRng.bernoulli(rushHour ? 0.45 : 0.12);
    const std::int64_t step = valueRng.uniformInt(0, 14); // up to 2.5x at rush hour, 1.6x otherwise
    const std::int64_t surgeTenths = surging ? 11 + (rushHour ? step : step * 5 / 14) : 10;

    out += "{\"request_id\":\"r-";
    appendPadded(out, sequence, 6);
    out += "\",\"rider_id\":";
    appendQuoted(out, entityText);
    out += ",\"city\":\"";
    out += city.name;
    out += "\",\"pickup\":{\"lat\":";
    appendFixed(out, scaled(pickupLatitude, 1e6), 6);
    out += ",\"lon\":";
    appendFixed(out, scaled(pickupLongitude, 1e6), 6);
    out += "},\"dropoff\":{\"lat\":";
    appendFixed(out, scaled(dropoffLatitude, 1e6), 6);
    out += ",\"lon\":";
    appendFixed(out, scaled(dropoffLongitude, 1e6), 6);
    out += "},\"vehicle_class\":\"";
    out += pick<Text>(valueRng, kVehicleClasses);
    out += "\",\"passengers\":";
    appendInt(out, pick<int>(valueRng, kPassengers));
    out += ",\"est_distance_km\":";
    appendFixed(out, scaled(distanceKm, 100.0), 2);
    out += ",\"surge\":";
    appendFixed(out, surgeTenths, 1);
    out += ",\"ts\":";
    appendInt(out, timestampMs);
    out += '}';
}

void Workload::State::appendSitePath(std::string& out)
{
    const auto choose = [this](std::span<const Text> options) {
        return options[static_cast<std::size_t>(valueRng.uniformInt(0, static_cast<std::int64_t>(options.size()) - 1))];
    };
    switch (pick<Page>(valueRng, kPages)) {
    case Page::Home:
        out += '/';
        break;
    case Page::Search:
        out += "/search?q=";
        out += choose(kSearchTerms);
        break;
    case Page::Category:
        out += "/category/";
        out += choose(kCategories);
        break;
    case Page::Product:
        out += "/product/sku-";
        appendInt(out, kFirstSku + (*skuPopularity)(valueRng) - 1);
        break;
    case Page::Cart:
        out += "/cart";
        break;
    case Page::Checkout:
        out += "/checkout";
        break;
    case Page::Confirmation:
        out += "/checkout/confirmation";
        break;
    case Page::Account:
        out += "/account";
        break;
    case Page::Orders:
        out += "/account/orders";
        break;
    case Page::Blog:
        out += "/blog/";
        out += choose(kBlogPosts);
        break;
    case Page::Help:
        out += "/help/";
        out += choose(kHelpPages);
        break;
    }
}

void Workload::State::writePageView(std::int64_t sequence, std::int64_t timestampMs, std::string& out)
{
    out += "{\"view_id\":\"pv-";
    appendPadded(out, sequence, 6);
    out += "\",\"user_id\":";
    appendQuoted(out, entityText);
    // A session is the user's activity within one 30-minute window.
    out += ",\"session_id\":\"s-";
    appendHex(out, traitHash(traitSeed, entity, static_cast<std::uint64_t>(timestampMs / 1800000) << 8), 12);
    out += "\",\"url\":\"";
    appendSitePath(out);
    out += "\",\"referrer\":";
    const Text referrer = pick<Text>(valueRng, kReferrers);
    if (referrer.empty()) {
        out += "null";
    } else if (referrer == "internal") {
        out += '"';
        out += kSiteOrigin;
        appendSitePath(out);
        out += '"';
    } else {
        out += '"';
        out += referrer;
        out += '"';
    }
    // A user keeps one browser and one device.
    out += ",\"user_agent\":\"";
    out += pickByHash<Text>(traitHash(traitSeed, entity, 3), kBrowsers);
    out += "\",\"device\":\"";
    out += pickByHash<Text>(traitHash(traitSeed, entity, 4), kDevices);
    out += "\",\"duration_ms\":";
    appendInt(out, std::clamp<std::int64_t>(std::llround(valueRng.lognormal(std::log(12000.0), 1.0)), 300, 1800000));
    out += ",\"ts\":";
    appendInt(out, timestampMs);
    out += '}';
}

void Workload::State::writeLogLine(std::int64_t timestampMs, std::string& out)
{
    const auto level = pick<Level>(valueRng, kLevels);
    const auto peer = [this] {
        return kPeerServices[static_cast<std::size_t>(
            valueRng.uniformInt(0, static_cast<std::int64_t>(std::size(kPeerServices)) - 1))];
    };
    const auto latencyMs = [this](double median, double sigma) {
        return std::max<std::int64_t>(std::llround(valueRng.lognormal(std::log(median), sigma)), 1);
    };

    out += "{\"@timestamp\":\"";
    appendIsoTimestamp(out, timestampMs);
    out += "\",\"level\":\"";
    out += kLevelNames[static_cast<std::size_t>(level)];
    out += "\",\"service\":";
    if (keyByHost) {
        // The key names the host; the service it runs is one of eight, fixed per host.
        out += "\"service-";
        appendInt(out, static_cast<std::int64_t>(traitHash(traitSeed, entity, 15) % 8));
        out += "\",\"host\":";
        appendQuoted(out, entityText);
        out += ",\"logger\":\"";
    } else {
        appendQuoted(out, entityText);
        // Each service runs on three instances with stable addresses.
        const std::uint64_t host
            = traitHash(traitSeed, entity, 16 + static_cast<std::uint64_t>(valueRng.uniformInt(0, 2)));
        out += ",\"host\":\"ip-10-";
        appendInt(out, static_cast<std::int64_t>(host & 0xff));
        out += '-';
        appendInt(out, static_cast<std::int64_t>((host >> 8) & 0xff));
        out += '-';
        appendInt(out, static_cast<std::int64_t>(1 + (host >> 16) % 254));
        out += "\",\"logger\":\"";
    }

    const std::int64_t variant = valueRng.uniformInt(0, 2);
    switch (level) {
    case Level::Debug:
        if (variant == 0) {
            out += "cache\",\"message\":\"cache hit for product:sku-";
            appendInt(out, kFirstSku + valueRng.uniformInt(0, kSkuCount - 1));
        } else if (variant == 1) {
            out += "db\",\"message\":\"acquired connection from pool in ";
            appendInt(out, valueRng.uniformInt(0, 4));
            out += " ms";
        } else {
            out += "http\",\"message\":\"request body parsed, content-length=";
            appendInt(out, latencyMs(900, 1.0));
        }
        break;
    case Level::Info:
        if (variant == 0) {
            out += "http\",\"message\":\"GET /api/orders/";
            appendInt(out, valueRng.uniformInt(10000, 99999));
            out += " 200 ";
            appendInt(out, latencyMs(35, 0.7));
            out += "ms";
        } else if (variant == 1) {
            out += "http\",\"message\":\"POST /api/checkout 201 ";
            appendInt(out, latencyMs(120, 0.6));
            out += "ms";
        } else {
            out += "scheduler\",\"message\":\"job expire-sessions finished: removed ";
            appendInt(out, valueRng.uniformInt(0, 400));
            out += " rows in ";
            appendInt(out, latencyMs(60, 0.5));
            out += " ms";
        }
        break;
    case Level::Warn:
        if (variant == 0) {
            out += "db\",\"message\":\"slow query on table orders: ";
            appendInt(out, 500 + latencyMs(400, 0.8));
            out += " ms (threshold 500 ms)";
        } else if (variant == 1) {
            out += "http-client\",\"message\":\"retrying call to ";
            out += peer();
            out += " (attempt ";
            appendInt(out, valueRng.uniformInt(2, 5));
            out += " of 5)";
        } else {
            out += "pool\",\"message\":\"connection pool ";
            appendInt(out, valueRng.uniformInt(80, 99));
            out += "% in use";
        }
        break;
    case Level::Error:
        if (variant == 0) {
            out += "http-client\",\"message\":\"timeout after 5000 ms calling ";
            out += peer();
        } else if (variant == 1) {
            out += "http-client\",\"message\":\"connection refused: ";
            out += peer();
            out += ":8080";
        } else {
            out += "kafka\",\"message\":\"failed to deserialize record at offset ";
            appendInt(out, valueRng.uniformInt(0, 5000000));
            out += ": unexpected end of input";
        }
        break;
    case Level::Fatal:
        if (variant == 0)
            out += "main\",\"message\":\"out of memory: shutting down";
        else
            out += "main\",\"message\":\"cannot bind to 0.0.0.0:8080: address already in use";
        break;
    }
    out += "\",\"trace_id\":\"";
    appendHex(out, traceHigh, 16);
    appendHex(out, traceLow, 16);
    out += "\",\"span_id\":\"";
    appendHex(out, valueRng.next(), 16);
    out += "\"}";
}

void Workload::State::writeSensorMetric(std::int64_t timestampMs, std::string& out)
{
    // Each device has its own baseline; readings swing with the time of day, plus noise and a
    // rare spike for anomaly-detection lessons.
    const double baseTemperature = 17.0 + 9.0 * unitFromHash(traitHash(traitSeed, entity, 5));
    const double baseHumidity = 30.0 + 35.0 * unitFromHash(traitHash(traitSeed, entity, 6));
    const double basePressure = 995.0 + 30.0 * unitFromHash(traitHash(traitSeed, entity, 7));
    const double dayFraction = static_cast<double>(((timestampMs % 86400000) + 86400000) % 86400000) / 86400000.0;
    const double daily = std::sin(2.0 * std::numbers::pi * (dayFraction - 0.375)); // warmest at 15:00 UTC

    double temperature = baseTemperature + 1.5 * daily + valueRng.normal(0.0, 0.15);
    if (valueRng.bernoulli(0.002))
        temperature += valueRng.uniform(6.0, 12.0);
    const double humidity = std::clamp(baseHumidity - 4.0 * daily + valueRng.normal(0.0, 0.8), 0.0, 100.0);
    const double pressure = basePressure + valueRng.normal(0.0, 0.3);
    // Batteries drain one percent an hour and get swapped at 6 %.
    const auto hours = static_cast<std::int64_t>(timestampMs / 3600000)
        + static_cast<std::int64_t>(traitHash(traitSeed, entity, 8) % 95);
    const std::int64_t battery = 100 - ((hours % 95) + 95) % 95;

    out += "{\"device_id\":";
    appendQuoted(out, entityText);
    out += ",\"site\":\"plant-";
    appendInt(out, static_cast<std::int64_t>(1 + traitHash(traitSeed, entity, 9) % 4));
    out += "\",\"firmware\":\"";
    out += pickByHash<Text>(traitHash(traitSeed, entity, 10), kFirmware);
    out += "\",\"temperature_c\":";
    appendFixed(out, scaled(temperature, 100.0), 2);
    out += ",\"humidity_pct\":";
    appendFixed(out, scaled(humidity, 10.0), 1);
    out += ",\"pressure_hpa\":";
    appendFixed(out, scaled(pressure, 100.0), 2);
    out += ",\"battery_pct\":";
    appendInt(out, battery);
    out += ",\"ts\":";
    appendInt(out, timestampMs);
    out += '}';
}

Workload::Workload(WorkloadSpec spec, std::uint64_t seed)
    : spec_(std::move(spec))
    , state_(std::make_unique<State>(spec_, seed))
{
}

Workload::~Workload() = default;
Workload::Workload(Workload&&) noexcept = default;
Workload& Workload::operator=(Workload&&) noexcept = default;

namespace {

// A record written by a producer still configured with Confluent's Avro serializer: magic byte 0,
// a 4-byte schema id, then the Avro encoding of one string (its zigzag length, then its bytes). The
// JSON text stays inside, so the value is as unique as the others; a JSON parser fails at byte 0.
void frameAsAvro(std::string& value)
{
    std::string framed(5, '\0');
    framed[4] = 7; // schema id 7
    auto zigzag = static_cast<std::uint64_t>(value.size()) << 1;
    for (; zigzag >= 0x80; zigzag >>= 7)
        framed.push_back(static_cast<char>((zigzag & 0x7f) | 0x80));
    framed.push_back(static_cast<char>(zigzag));
    framed += value;
    value.swap(framed);
}

} // namespace

void Workload::next(std::int64_t sequence, std::int64_t timestampMs, GeneratedRecord& out)
{
    State& state = *state_;
    out.nullKey = spec_.keys == KeyDistribution::Null;
    out.nullValue = spec_.tombstones;

    if (spec_.kind == WorkloadKind::FixedBytes) {
        // The benchmark path (about 10-20 ns): no JSON, no headers, no entity for null keys, and
        // copies into buffers that already have the right size.
        if (out.nullKey) {
            out.key.clear();
        } else if (!state.keyOffsets.empty()) {
            const auto number = static_cast<std::size_t>(state.pickEntity(spec_.keys, sequence));
            const std::uint32_t begin = state.keyOffsets[number];
            const std::size_t length = state.keyOffsets[number + 1] - begin;
            if (out.key.size() != length)
                out.key.resize(length);
            std::memcpy(out.key.data(), state.keyTable.data() + begin, length);
        } else {
            const std::int64_t number = state.pickEntity(spec_.keys, sequence);
            const std::size_t prefixLength = state.keyPrefix.size();
            out.key.resize(prefixLength + 20); // room for any int64
            char* text = out.key.data();
            std::memcpy(text, state.keyPrefix.data(), prefixLength);
            const auto result = std::to_chars(text + prefixLength, text + out.key.size(), number);
            out.key.resize(static_cast<std::size_t>(result.ptr - text));
        }
        if (out.value.size() != state.valueBytes)
            out.value.resize(state.valueBytes);
        std::memcpy(out.value.data(), state.bytePool.data() + state.byteOffset, state.valueBytes);
        state.byteOffset = (state.byteOffset + kBytePoolStride) & (kBytePoolWindow - 1);
        // The record's sequence number in hex leads the value, so every value is unique and the
        // history checker can tell records apart (as Jepsen's queue workloads do).
        if (state.valueBytes >= 16) {
            const auto seq = static_cast<std::uint64_t>(sequence);
            const std::uint64_t high = hexDigits(static_cast<std::uint32_t>(seq >> 32));
            const std::uint64_t low = hexDigits(static_cast<std::uint32_t>(seq));
            std::memcpy(out.value.data(), &high, 8);
            std::memcpy(out.value.data() + 8, &low, 8);
        }
        if (!out.headers.empty())
            out.headers.clear();
        return;
    }

    state.entity = state.pickEntity(spec_.keys, sequence);

    state.entityText.assign(state.keyPrefix);
    appendInt(state.entityText, state.entity);
    if (out.nullKey)
        out.key.clear();
    else
        out.key.assign(state.entityText);
    // Drawn whether or not headers are on, so the headers switch leaves the values unchanged.
    state.traceHigh = state.valueRng.next();
    state.traceLow = state.valueRng.next();

    out.value.clear();
    switch (spec_.kind) {
    case WorkloadKind::Orders:
        state.writeOrder(sequence, timestampMs, out.value);
        break;
    case WorkloadKind::RideRequests:
        state.writeRideRequest(sequence, timestampMs, out.value);
        break;
    case WorkloadKind::PageViews:
        state.writePageView(sequence, timestampMs, out.value);
        break;
    case WorkloadKind::LogLines:
        state.writeLogLine(timestampMs, out.value);
        break;
    case WorkloadKind::SensorMetrics:
        state.writeSensorMetric(timestampMs, out.value);
        break;
    case WorkloadKind::FixedBytes:
        break;
    }

    const bool poison = spec_.poisonEvery > 0 && (sequence + 1) % spec_.poisonEvery == 0;
    if (poison)
        frameAsAvro(out.value);
    if (!spec_.headers) {
        out.headers.clear();
        return;
    }
    out.headers.resize(2);
    assignHeader(out.headers[0], "content-type", poison ? "application/vnd.apache.avro+binary" : "application/json");
    char trace[32];
    for (int i = 0; i < 16; ++i) {
        static constexpr char kDigits[] = "0123456789abcdef";
        trace[i] = kDigits[(state.traceHigh >> (60 - 4 * i)) & 0xf];
        trace[16 + i] = kDigits[(state.traceLow >> (60 - 4 * i)) & 0xf];
    }
    assignHeader(out.headers[1], "trace-id", std::string_view(trace, sizeof trace));
}

} // namespace brokerlab::client
