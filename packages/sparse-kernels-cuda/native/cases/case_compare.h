// Compares a backend's outputs with a case's expected ones, with the suite's metrics (relL2 and
// maxAbs relative to the expected magnitude, see tools/backend-conformance/src/compare-values.ts):
// dense arrays element by element, deltas by identical masks and then values at active pixels.
#pragma once

#include <map>
#include <string>

#include "case_file.h"

namespace mdcases {

/** What a backend produced for a case: arrays named as the case's expected outputs (`out.*`). */
using Outputs = std::map<std::string, Array>;

struct CompareResult {
  bool ok;
  /** The worst comparison as a fraction of its tolerance (<= 1 passes); Infinity for a mask mismatch. */
  double worst;
  /** One line per comparison that failed; empty when ok. */
  std::string message;
};

CompareResult CompareOutputs(const CaseFile& c, const Outputs& actual);

}  // namespace mdcases
