#include "log/sharedrecords.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace brokerlab::log {

ByteBlock::ByteBlock(std::size_t capacity) { resize(capacity); }

ByteBlock::~ByteBlock() { std::free(data_); }

void ByteBlock::resize(std::size_t capacity)
{
    if (capacity == capacity_ && data_)
        return;
    // realloc rather than new+copy: glibc grows large blocks in place (mremap) and shrinks in place.
    auto* resized = static_cast<std::uint8_t*>(std::realloc(data_, std::max<std::size_t>(capacity, 1)));
    if (!resized)
        throw std::bad_alloc();
    data_ = resized;
    capacity_ = capacity;
    fill_ = std::min(fill_, capacity_);
}

void ByteBlock::prefault()
{
    // One madvise maps the rest of the block instead of one page fault per 4 KiB page as appends
    // touch it; page faults are what dominate a bulk append in a virtual machine. Kernels before
    // 5.14 answer EINVAL and the pages fault in on first touch as before.
#ifdef __linux__
    constexpr int kMadvPopulateWrite = 23; // MADV_POPULATE_WRITE
    const auto page = static_cast<std::uintptr_t>(4096);
    const auto begin = (reinterpret_cast<std::uintptr_t>(data_ + fill_) + page - 1) & ~(page - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data_) + capacity_) & ~(page - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, kMadvPopulateWrite);
#endif
}

SharedRecords::SharedRecords(std::span<const std::uint8_t> bytes)
{
    if (bytes.empty())
        return;
    auto block = std::make_shared<ByteBlock>(bytes.size());
    std::memcpy(block->writableEnd(), bytes.data(), bytes.size());
    block->advance(bytes.size());
    bytes_ = { block->data(), bytes.size() };
    block_ = std::move(block);
}

SharedRecords::SharedRecords(std::shared_ptr<const ByteBlock> block, std::size_t offset, std::size_t size)
    : block_(std::move(block))
{
    if (block_ && size > 0)
        bytes_ = { block_->data() + offset, size };
}

bool SharedRecords::operator==(const SharedRecords& other) const
{
    return std::equal(bytes_.begin(), bytes_.end(), other.bytes_.begin(), other.bytes_.end());
}

} // namespace brokerlab::log
