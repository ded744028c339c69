// The step kinds run on the CPU through the same __host__ __device__ functions the CUDA kernels
// call, organised as the kernels are (tile masks, lists of active tiles, candidate output tiles),
// so that the conformance cases check the per-tile arithmetic without a GPU.
#pragma once

#include <stdexcept>
#include <string>

#include "case_compare.h"
#include "case_file.h"

namespace mdhost {

/** A case whose op the CUDA package does not implement yet. */
class Declined : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/** Runs one case on the host; throws Declined for an op not implemented, CaseError for a malformed case. */
mdcases::Outputs RunOnHost(const mdcases::CaseFile& c);

}  // namespace mdhost
