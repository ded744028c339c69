#include "layer_shapes.h"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "json_reader.h"

namespace bench {

std::string ConvLayer::Describe() const {
  std::ostringstream s;
  s << g.kh << "x" << g.kw;
  if (g.sh != 1 || g.sw != 1) s << "/" << g.sh;
  if (g.dh != 1 || g.dw != 1) s << " d" << g.dh;
  if (g.depthwise()) {
    s << " dw " << g.in_c;
    if (g.out_c != g.in_c) s << "->" << g.out_c;
  } else {
    if (g.groups != 1) s << " g" << g.groups;
    s << " " << g.in_c << "->" << g.out_c;
  }
  s << " @" << g.in_h << "x" << g.in_w;
  if (act.kind != "none") s << " " << act.kind;
  if (!bias) s << " nobias";
  return s.str();
}

std::string ConvLayer::Family() const {
  std::ostringstream s;
  if (g.depthwise()) {
    s << "depthwise " << g.kh << "x" << g.kw;
  } else if (g.in_c <= 4) {
    s << "stem " << g.kh << "x" << g.kw;
  } else if (g.kh == 1 && g.kw == 1 && g.out_h * g.out_w == 1) {
    s << "1x1 on 1 pixel (SE)";
  } else {
    s << g.kh << "x" << g.kw;
  }
  return s.str();
}

std::vector<ModelLayers> LoadLayers(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  const Json root = JsonParser(text).Parse();
  std::vector<ModelLayers> out;
  for (const Json& m : root["models"].array) {
    ModelLayers ml;
    ml.id = m["id"].string;
    ml.in_h = static_cast<int64_t>(m["input"].array.at(1).number);
    ml.in_w = static_cast<int64_t>(m["input"].array.at(2).number);
    for (const auto& [op, v] : m["notTimed"].object) {
      ml.not_timed_nodes += v.i64("count");
      ml.not_timed_macs += v["macs"].number;
    }
    for (const Json& l : m["layers"].array) {
      if (l["op"].string != "Conv2D") {
        ++ml.not_timed_nodes;  // MatMul / Gemm: none in the four models
        continue;
      }
      ConvLayer c;
      const auto& pads = l["pads"].array;
      c.g = md::ConvGeometry{l.i64("batch"),
                             l.i64("inH"),
                             l.i64("inW"),
                             l.i64("cin"),
                             l.i64("outH"),
                             l.i64("outW"),
                             l.i64("cout"),
                             l.i64("kh"),
                             l.i64("kw"),
                             l.i64("sh"),
                             l.i64("sw"),
                             l.i64("dh"),
                             l.i64("dw"),
                             static_cast<int64_t>(pads.at(0).number),
                             static_cast<int64_t>(pads.at(1).number),
                             l.i64("groups")};
      c.pad_bottom = static_cast<int64_t>(pads.at(2).number);
      c.pad_right = static_cast<int64_t>(pads.at(3).number);
      c.bias = l["bias"].boolean;
      const Json& a = l["act"];
      c.act.kind = a["kind"].string;
      c.act.a = static_cast<float>(a.num("a", 0));
      c.act.b = static_cast<float>(a.num("b", 0));
      c.act.slope_len = static_cast<int64_t>(a.num("slopeLen", 0));
      c.count = l.i64("count");
      c.macs = l["macs"].number;
      c.first_node = l["nodes"].array.at(0).string;
      if (!c.g.valid()) throw std::runtime_error(ml.id + ": invalid geometry for " + c.first_node);
      ml.convs.push_back(c);
    }
    out.push_back(std::move(ml));
  }
  return out;
}

std::vector<GemmShape> DeltaGemmShapes(const std::vector<ModelLayers>& models) {
  std::vector<GemmShape> out;
  std::set<std::pair<int64_t, int64_t>> seen;
  for (const auto& m : models) {
    for (const auto& c : m.convs) {
      const bool k1 = c.g.kh == 1 && c.g.kw == 1, k3 = c.g.kh == 3 && c.g.kw == 3;
      if (c.g.groups != 1 || !(k1 || k3)) continue;
      const int64_t k = c.g.kh * c.g.kw * c.g.in_c, n = c.g.out_c;
      if (!seen.insert({k, n}).second) continue;
      out.push_back({k, n, m.Name() + ": " + c.Describe()});
    }
  }
  return out;
}

md::Activation ToMd(const ActSpec& a, const float* slope) {
  md::Activation act;
  if (a.kind == "none")
    act.kind = md::ActKind::kNone;
  else if (a.kind == "relu")
    act.kind = md::ActKind::kRelu;
  else if (a.kind == "clip")
    act.kind = md::ActKind::kClip;
  else if (a.kind == "leakyRelu")
    act.kind = md::ActKind::kLeakyRelu;
  else if (a.kind == "prelu")
    act.kind = md::ActKind::kPrelu;
  else if (a.kind == "sigmoid")
    act.kind = md::ActKind::kSigmoid;
  else if (a.kind == "hardSigmoid")
    act.kind = md::ActKind::kHardSigmoid;
  else if (a.kind == "hardSwish")
    act.kind = md::ActKind::kHardSwish;
  else if (a.kind == "tanh")
    act.kind = md::ActKind::kTanh;
  else
    throw std::runtime_error("unknown activation " + a.kind);
  act.a = a.a;
  act.b = a.b;
  act.slope = slope;
  act.slope_len = a.slope_len;
  return act;
}

}  // namespace bench
