// Device memory for the driver: RAII buffers whose every CUDA call goes through MD_CUDA_CHECK.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <vector>

#include "case_file.h"
#include "device_delta.h"
#include "mdcuda/cuda_check.h"

namespace mddriver {

/** One device allocation of `bytes` bytes (zeroed), freed with the object. */
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t bytes) : bytes_(bytes) {
    MD_CUDA_CHECK(cudaMalloc(&ptr_, bytes == 0 ? 1 : bytes));
    MD_CUDA_CHECK(cudaMemset(ptr_, 0, bytes == 0 ? 1 : bytes));
  }
  ~DeviceBuffer() { cudaFree(ptr_); }  // never throws from a destructor; a failed free is reported by the next checked call
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }
  size_t bytes() const { return bytes_; }

  void Upload(const void* host) { MD_CUDA_CHECK(cudaMemcpy(ptr_, host, bytes_, cudaMemcpyHostToDevice)); }
  void Download(void* host) const { MD_CUDA_CHECK(cudaMemcpy(host, ptr_, bytes_, cudaMemcpyDeviceToHost)); }

 private:
  void* ptr_ = nullptr;
  size_t bytes_;
};

/** A case array on the device. */
inline DeviceBuffer* NewDeviceArray(const mdcases::Array& a, std::vector<DeviceBuffer*>* owned) {
  const size_t bytes = a.type == "f32" ? a.f32.size() * 4 : a.u8.size();
  auto* b = new DeviceBuffer(bytes);
  if (bytes > 0) b->Upload(a.type == "f32" ? static_cast<const void*>(a.f32.data()) : static_cast<const void*>(a.u8.data()));
  owned->push_back(b);
  return b;
}

/** A delta's device storage (values, pixel mask, tile masks, tile list, count) for an NHWC shape. */
struct DeviceDeltaStorage {
  DeviceBuffer values;
  DeviceBuffer mask;
  DeviceBuffer tile_masks;
  DeviceBuffer tiles;
  DeviceBuffer count;
  mdcuda::DeviceDelta view;

  explicit DeviceDeltaStorage(const std::vector<int64_t>& nhwc)
      : values(static_cast<size_t>(nhwc.at(0) * nhwc.at(1) * nhwc.at(2) * nhwc.at(3)) * 4),
        mask(static_cast<size_t>(nhwc.at(0) * nhwc.at(1) * nhwc.at(2))),
        tile_masks(sizeof(uint64_t) * Tiles(nhwc)),
        tiles(sizeof(int) * Tiles(nhwc)),
        count(sizeof(int)) {
    view = mdcuda::DeviceDelta{values.as<float>(), mask.as<uint8_t>(), tile_masks.as<uint64_t>(),   tiles.as<int>(),
                               count.as<int>(),    Grid(nhwc),         static_cast<int>(nhwc.at(3))};
  }

  static mdcuda::TileGrid Grid(const std::vector<int64_t>& nhwc) {
    return mdcuda::MakeTileGrid(static_cast<int>(nhwc.at(0)), static_cast<int>(nhwc.at(1)), static_cast<int>(nhwc.at(2)));
  }
  static size_t Tiles(const std::vector<int64_t>& nhwc) { return static_cast<size_t>(mdcuda::TileCount(Grid(nhwc))); }
};

}  // namespace mddriver
