// The step kinds on the device, for the driver: each case becomes a DeviceRun whose `prepare`
// uploads the inputs and state (outside the timed region), `launch` enqueues the step's kernels
// (the timed part), and `collect` downloads the outputs named as the case's expected ones.
#pragma once

#include <cuda_runtime_api.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "case_compare.h"
#include "case_file.h"

namespace mddriver {

/** A case whose op has no CUDA kernel yet. */
class Declined : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DeviceRun {
  std::function<void()> prepare;
  std::function<void()> launch;
  std::function<mdcases::Outputs()> collect;
  std::shared_ptr<void> keep_alive;  // the device buffers the three functions use
};

/** Builds the device run of a case; throws Declined for an op without a kernel. */
DeviceRun MakeDeviceRun(const mdcases::CaseFile& c, cudaStream_t stream);

}  // namespace mddriver
