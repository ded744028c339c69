// Step conformance case files, written by test/cases/write-case-files.ts from the project's
// conformance suite (inputs drawn by its seeded cases, expected values from the reference backend)
// and read by both the host test build and the GPU driver. Format: a text header, one entry per
// line, then the arrays' raw little-endian bytes in the order the header declares them:
//
//   MDCASE 1
//   name <case name and call>
//   op <dense.Conv2D | dense.Activation | delta.sparsify | delta.accumulate | delta.linear.Conv2D | delta.activation>
//   num <key> <number>...          attributes (numbers as JavaScript prints them: they round-trip)
//   array <name> <f32|u8> <rank> <dims>...
//   tol <name> <relL2> <maxAbs> <scale>   the suite's tolerance for an expected output
//   delta <name>                   <name>.values and <name>.mask form a delta (values read at active pixels only)
//   end
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mdcases {

/** One array of a case: float32 values or bytes (masks), with its shape. */
struct Array {
  std::string type;  // "f32" or "u8"
  std::vector<int64_t> dims;
  std::vector<float> f32;
  std::vector<uint8_t> u8;

  int64_t Size() const;
};

/** The suite's tolerance for one output (see tools/backend-conformance/src/tolerance.ts). */
struct Tolerance {
  double rel_l2;
  double max_abs;
  double scale;
};

struct CaseFile {
  std::string path;
  std::string name;
  std::string op;
  std::map<std::string, std::vector<double>> nums;
  std::map<std::string, Array> arrays;
  std::map<std::string, Tolerance> tolerances;
  std::vector<std::string> deltas;

  /** A required attribute's values; throws CaseError naming the case when it is absent. */
  const std::vector<double>& Num(const std::string& key) const;
  /** A required array; throws CaseError when it is absent or of another type. */
  const Array& F32(const std::string& key) const;
  const Array& U8(const std::string& key) const;
  bool Has(const std::string& key) const { return arrays.count(key) != 0; }
};

/** A malformed case file, or a case that lacks what its op needs. */
class CaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/** Reads one case file; throws CaseError saying what is wrong and where. */
CaseFile ReadCaseFile(const std::string& path);

/** The `*.case` files of a folder, sorted by name. */
std::vector<std::string> ListCaseFiles(const std::string& folder);

}  // namespace mdcases
