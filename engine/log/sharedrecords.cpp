#include "log/sharedrecords.h"

#include "log/blockreserve.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>


namespace brokerlab::log {

ByteBlock::ByteBlock(std::size_t capacity)
{
    // A full-size block comes from the reserve with its pages mapped, when one is ready.
    if (capacity == BlockReserve::kBlockBytes) {
        if (void* ready = BlockReserve::instance().take()) {
            data_ = static_cast<std::uint8_t*>(ready);
            capacity_ = capacity;
            prefaulted_ = capacity;
            return;
        }
    }
    resize(capacity);
}

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
    prefaulted_ = fill_; // the bytes may have moved: only those below the fill are surely mapped
}

void ByteBlock::prefault(std::size_t end)
{
    // One call maps a run of pages instead of one page fault per 4 KiB page as appends touch them;
    // page faults are what dominate a bulk append in a virtual machine.
    end = std::min(end, capacity_);
    const std::size_t begin = std::max(fill_, prefaulted_);
    if (end <= begin)
        return;
    prefaulted_ = end;
    populatePages(data_ + begin, data_ + end);
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
