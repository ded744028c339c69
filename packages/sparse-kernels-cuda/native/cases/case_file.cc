#include "case_file.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mdcases {

int64_t Array::Size() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

const std::vector<double>& CaseFile::Num(const std::string& key) const {
  auto it = nums.find(key);
  if (it == nums.end()) throw CaseError(path + ": attribute '" + key + "' is missing (op " + op + ")");
  return it->second;
}

const Array& CaseFile::F32(const std::string& key) const {
  auto it = arrays.find(key);
  if (it == arrays.end() || it->second.type != "f32") throw CaseError(path + ": f32 array '" + key + "' is missing (op " + op + ")");
  return it->second;
}

const Array& CaseFile::U8(const std::string& key) const {
  auto it = arrays.find(key);
  if (it == arrays.end() || it->second.type != "u8") throw CaseError(path + ": u8 array '" + key + "' is missing (op " + op + ")");
  return it->second;
}

CaseFile ReadCaseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CaseError(path + ": cannot be opened");
  CaseFile c;
  c.path = path;
  std::vector<std::string> order;
  std::string line;
  if (!std::getline(in, line) || line != "MDCASE 1") throw CaseError(path + ": not a case file (first line must be 'MDCASE 1')");
  bool ended = false;
  while (std::getline(in, line)) {
    if (line == "end") {
      ended = true;
      break;
    }
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "name") {
      c.name = line.size() > 5 ? line.substr(5) : "";
    } else if (kind == "op") {
      words >> c.op;
    } else if (kind == "num") {
      std::string key, word;
      words >> key;
      std::vector<double> values;
      // strtod reads what JavaScript prints, Infinity and NaN included.
      while (words >> word) values.push_back(std::strtod(word.c_str(), nullptr));
      c.nums[key] = values;
    } else if (kind == "array") {
      std::string name;
      Array a;
      int rank = 0;
      words >> name >> a.type >> rank;
      if (a.type != "f32" && a.type != "u8") throw CaseError(path + ": array '" + name + "' has type '" + a.type + "'; accepted: f32, u8");
      for (int i = 0; i < rank; i++) {
        int64_t d = -1;
        words >> d;
        if (d < 0) throw CaseError(path + ": array '" + name + "' has a bad dimension");
        a.dims.push_back(d);
      }
      c.arrays[name] = a;
      order.push_back(name);
    } else if (kind == "tol") {
      std::string name;
      Tolerance t{};
      words >> name >> t.rel_l2 >> t.max_abs >> t.scale;
      c.tolerances[name] = t;
    } else if (kind == "delta") {
      std::string name;
      words >> name;
      c.deltas.push_back(name);
    } else if (!kind.empty()) {
      throw CaseError(path + ": unknown header entry '" + kind + "'");
    }
  }
  if (!ended) throw CaseError(path + ": the header has no 'end' line");
  for (const std::string& name : order) {
    Array& a = c.arrays[name];
    const int64_t n = a.Size();
    if (a.type == "f32") {
      a.f32.resize(n);
      in.read(reinterpret_cast<char*>(a.f32.data()), n * 4);
    } else {
      a.u8.resize(n);
      in.read(reinterpret_cast<char*>(a.u8.data()), n);
    }
    if (!in) throw CaseError(path + ": the data of array '" + name + "' is truncated");
  }
  return c;
}

std::vector<std::string> ListCaseFiles(const std::string& folder) {
  std::vector<std::string> files;
  DIR* dir = opendir(folder.c_str());
  if (dir == nullptr) throw CaseError(folder + ": not a readable folder");
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".case") == 0) files.push_back(folder + "/" + name);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace mdcases
