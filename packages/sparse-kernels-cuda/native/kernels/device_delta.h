// A delta on the device, in the layout every delta kernel reads and writes: NHWC values, one mask
// byte per pixel, one 64-bit mask per 8x8 tile, and the compacted list of active tiles with its
// count in device memory (kernels are launched over every tile and the blocks past the count
// return, so no step reads a count on the host).
#pragma once

#include <cstdint>

#include "mdcuda/tiles.h"

namespace mdcuda {

struct DeviceDelta {
  float* values;
  uint8_t* mask;
  uint64_t* tile_masks;
  int* tiles;       // active tile ids, [0, *tile_count)
  int* tile_count;  // one int
  TileGrid grid;
  int channels;
};

}  // namespace mdcuda
