// Convolution of a delta (bias cancels in a difference), with work proportional to active pixels.
//
// Three paths, chosen per call:
// - Input-driven GEMM (sparse inputs): the active input pixels' delta vectors are gathered into
//   D [nActive x Cin] and multiplied once by the weights packed as [Cin x (taps*Cout)], giving every
//   tap's contribution of every active pixel; each active output then sums the contributions of
//   the active inputs its window reads. With stride s, an input pixel reaches outputs only through
//   the taps congruent to its position mod s, so inputs are split into s_h*s_w classes, each
//   multiplied by its own taps only: the MACs done never exceed active inputs x taps x Cin x Cout.
// - Output-driven im2col GEMM (dense-ish inputs, past the break-even fraction): every output an
//   active input reaches is computed from its window, inactive inputs read as zero. This is a
//   dense convolution restricted to the reached outputs, and avoids the [nActive x taps*Cout]
//   intermediate that grows with activity.
// - Depthwise (one input channel per group): direct loops over the active outputs.
#include <cblas.h>
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "common_blas.h"
#include "delta_buffer.h"
#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

struct ConvGeom {
  int64_t kh, kw, sh, sw, dh, dw, pt, pl, groups;
  int64_t cin, cout, cin_pg, cout_pg;
  int64_t batch, in_h, in_w, out_h, out_w;
};

// Weights re-laid out for the input-driven path, built once per weight array (cached in JS).
struct PackedConv {
  int64_t kh = 0, kw = 0, sh = 1, sw = 1, dh = 1, dw = 1, groups = 1, cin_pg = 0, cout = 0, cout_pg = 0;
  struct Class {
    int64_t taps = 0;     // taps congruent to this class
    int64_t offset = 0;   // into data: groups blocks of [cin_pg x taps*cout_pg]
  };
  std::vector<Class> classes;          // sh*sw, index cy*sw + cx
  std::vector<int32_t> tap_class;      // per tap ky*kw+kx
  std::vector<int32_t> tap_slot;       // the tap's column block inside its class
  std::vector<std::vector<int32_t>> class_taps;  // per class, its taps in kernel order
  std::vector<float> data;
};

std::unique_ptr<PackedConv> Pack(const float* w, int64_t kh, int64_t kw, int64_t cin_pg, int64_t cout, int64_t groups, int64_t sh, int64_t sw, int64_t dh, int64_t dw) {
  auto pk = std::make_unique<PackedConv>();
  pk->kh = kh, pk->kw = kw, pk->sh = sh, pk->sw = sw, pk->dh = dh, pk->dw = dw, pk->groups = groups;
  pk->cin_pg = cin_pg, pk->cout = cout, pk->cout_pg = cout / groups;
  const int64_t classes = sh * sw;
  pk->classes.resize(classes);
  pk->class_taps.resize(classes);
  pk->tap_class.resize(kh * kw);
  pk->tap_slot.resize(kh * kw);
  for (int64_t ky = 0; ky < kh; ++ky) {
    for (int64_t kx = 0; kx < kw; ++kx) {
      // Output oy reads input iy through ky when iy + pt - ky*dh = oy*sh, so the input's class
      // (iy + pt) mod sh equals (ky*dh) mod sh.
      const int64_t k = ((ky * dh) % sh) * sw + (kx * dw) % sw;
      const int64_t t = ky * kw + kx;
      pk->tap_class[t] = static_cast<int32_t>(k);
      pk->tap_slot[t] = static_cast<int32_t>(pk->class_taps[k].size());
      pk->class_taps[k].push_back(static_cast<int32_t>(t));
    }
  }
  int64_t offset = 0;
  for (int64_t k = 0; k < classes; ++k) {
    pk->classes[k].taps = static_cast<int64_t>(pk->class_taps[k].size());
    pk->classes[k].offset = offset;
    offset += groups * cin_pg * pk->classes[k].taps * pk->cout_pg;
  }
  pk->data.resize(offset);
  const int64_t cpg = pk->cout_pg;
  for (int64_t k = 0; k < classes; ++k) {
    const int64_t nt = pk->classes[k].taps;
    for (int64_t g = 0; g < groups; ++g) {
      float* block = pk->data.data() + pk->classes[k].offset + g * cin_pg * nt * cpg;
      for (int64_t ci = 0; ci < cin_pg; ++ci) {
        for (int64_t s = 0; s < nt; ++s) {
          const int64_t t = pk->class_taps[k][s];
          const float* src = w + (t * cin_pg + ci) * cout + g * cpg;
          std::memcpy(block + ci * nt * cpg + s * cpg, src, sizeof(float) * cpg);
        }
      }
    }
  }
  return pk;
}

struct Scratch {
  std::vector<int64_t> row_offset;  // per input pixel: its row in Y (float offset), -1 when none
  std::vector<float> d, y;
  std::vector<int32_t> rows;
};
// One per libuv worker thread: two sessions may run kernels at the same time.
thread_local Scratch scratch;

// Marks every output reached by an active input, as the reference does (input order x taps).
void MarkOutputs(const ConvGeom& g, const DeltaView& x, DeltaView& out) {
  const int64_t plane = g.in_h * g.in_w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const int64_t n = p / plane;
    const int64_t rest = p - n * plane;
    const int64_t iy = rest / g.in_w;
    const int64_t ix = rest - iy * g.in_w;
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      const int64_t ty = iy + g.pt - ky * g.dh;
      if (ty < 0 || ty % g.sh != 0) continue;
      const int64_t oy = ty / g.sh;
      if (oy >= g.out_h) continue;
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const int64_t tx = ix + g.pl - kx * g.dw;
        if (tx < 0 || tx % g.sw != 0) continue;
        const int64_t ox = tx / g.sw;
        if (ox >= g.out_w) continue;
        MarkActive(out, (n * g.out_h + oy) * g.out_w + ox);
      }
    }
  }
}

void InputDriven(const ConvGeom& g, const PackedConv& pk, const DeltaView& x, DeltaView& out) {
  Scratch& s = scratch;
  BlasSingleThread single;
  const int64_t plane = g.in_h * g.in_w;
  if (static_cast<int64_t>(s.row_offset.size()) < x.pixels) s.row_offset.resize(x.pixels, -1);
  const int64_t nclass = g.sh * g.sw;
  // Bucket the active inputs by class (stable), skipping classes without taps.
  std::vector<int64_t> class_count(nclass + 1, 0);
  s.rows.resize(x.count);
  auto class_of = [&](int64_t p) {
    const int64_t rest = p % plane;
    const int64_t iy = rest / g.in_w;
    const int64_t ix = rest - iy * g.in_w;
    return ((iy + g.pt) % g.sh) * g.sw + (ix + g.pl) % g.sw;
  };
  for (int64_t i = 0; i < x.count; ++i) class_count[class_of(x.active[i]) + 1]++;
  std::vector<int64_t> class_start(nclass + 1, 0), y_base(nclass + 1, 0);
  for (int64_t k = 0; k < nclass; ++k) {
    class_start[k + 1] = class_start[k] + class_count[k + 1];
    y_base[k + 1] = y_base[k] + class_count[k + 1] * pk.classes[k].taps * g.cout;
  }
  {
    std::vector<int64_t> fill(class_start.begin(), class_start.end() - 1);
    for (int64_t i = 0; i < x.count; ++i) {
      const int32_t p = x.active[i];
      const int64_t k = class_of(p);
      const int64_t r = fill[k]++;
      s.rows[r] = p;
      s.row_offset[p] = pk.classes[k].taps == 0 ? -1 : y_base[k] + (r - class_start[k]) * pk.classes[k].taps * g.cout;
    }
  }
  const int64_t m_total = x.count;
  s.d.resize(m_total * g.cin);
  s.y.resize(std::max<int64_t>(1, y_base[nclass]));
  float* D = s.d.data();
  float* Y = s.y.data();
  parallel_for(0, m_total, GrainFor(g.cin), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) std::memcpy(D + r * g.cin, x.values + static_cast<int64_t>(s.rows[r]) * g.cin, sizeof(float) * g.cin);
  });
  // Row blocks of D multiplied in parallel, each by a single-threaded sgemm (OpenBLAS's own
  // threads would compete with the pool for the same cores).
  for (int64_t k = 0; k < nclass; ++k) {
    const int64_t m = class_count[k + 1];
    const int64_t nt = pk.classes[k].taps;
    if (m == 0 || nt == 0) continue;
    const int64_t block = 64;
    parallel_for(0, (m + block - 1) / block, 1, [&](int64_t b, int64_t e) {
      for (int64_t blk = b; blk < e; ++blk) {
        const int64_t r0 = blk * block;
        const int64_t rows = std::min(block, m - r0);
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(rows), static_cast<int>(nt * g.cout_pg), static_cast<int>(g.cin_pg), 1.0f,
                      D + (class_start[k] + r0) * g.cin + gr * g.cin_pg, static_cast<int>(g.cin),
                      pk.data.data() + pk.classes[k].offset + gr * g.cin_pg * nt * g.cout_pg, static_cast<int>(nt * g.cout_pg), 0.0f,
                      Y + y_base[k] + r0 * nt * g.cout + gr * nt * g.cout_pg, static_cast<int>(nt * g.cout));
        }
      }
    });
  }
  // Each active output sums the contributions of the active inputs its window reads.
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t* row_offset = s.row_offset.data();
  parallel_for(0, out.count, GrainFor(g.kh * g.kw * g.cout / 2), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const int64_t n = q / out_plane;
      const int64_t rest = q - n * out_plane;
      const int64_t oy = rest / g.out_w;
      const int64_t ox = rest - oy * g.out_w;
      float* o = out.values + q * g.cout;
      std::memset(o, 0, sizeof(float) * g.cout);
      for (int64_t ky = 0; ky < g.kh; ++ky) {
        const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          const int64_t ix = ox * g.sw - g.pl + kx * g.dw;
          if (ix < 0 || ix >= g.in_w) continue;
          const int64_t off = row_offset[(n * g.in_h + iy) * g.in_w + ix];
          if (off < 0) continue;
          const int64_t t = ky * g.kw + kx;
          const int64_t nt = pk.classes[pk.tap_class[t]].taps;
          const int64_t slot = pk.tap_slot[t];
          for (int64_t gr = 0; gr < g.groups; ++gr) {
            const float* src = Y + off + gr * nt * g.cout_pg + slot * g.cout_pg;
            float* dst = o + gr * g.cout_pg;
            for (int64_t j = 0; j < g.cout_pg; ++j) dst[j] += src[j];
          }
        }
      }
    }
  });
  for (int64_t i = 0; i < x.count; ++i) s.row_offset[x.active[i]] = -1;
}

// Output-driven: im2col of the reached outputs' windows (inactive inputs read as 0), in row
// blocks spread over the pool: each block is gathered, multiplied by a single-threaded sgemm with
// the HWIO weights as they are, and copied to its output pixels while it is still in cache.
void OutputDriven(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out) {
  if (g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.groups == 1 && x.count == x.pixels && out.pixels == x.pixels) {
    // A pointwise conv with every pixel active is one GEMM on the delta as it lies (no im2col);
    // every output pixel is listed already, in any order. OpenBLAS threads it.
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(x.pixels), static_cast<int>(g.cout), static_cast<int>(g.cin), 1.0f, x.values,
                static_cast<int>(g.cin), w, static_cast<int>(g.cout), 0.0f, out.values, static_cast<int>(g.cout));
    return;
  }
  const int64_t taps = g.kh * g.kw;
  const int64_t k_dim = taps * g.cin_pg;
  // About 128 KiB of im2col rows per block: they stay in L2 between gather and multiply.
  const int64_t block = std::max<int64_t>(16, std::min<int64_t>(512, (int64_t{1} << 15) / std::max<int64_t>(1, k_dim)));
  const int64_t out_plane = g.out_h * g.out_w;
  BlasSingleThread single;
  parallel_for(0, (out.count + block - 1) / block, 1, [&](int64_t bb, int64_t be) {
    std::vector<float> a(static_cast<size_t>(block * k_dim));
    std::vector<float> c(static_cast<size_t>(block * g.cout));
    for (int64_t blk = bb; blk < be; ++blk) {
      const int64_t b0 = blk * block;
      const int64_t rows = std::min(block, out.count - b0);
      for (int64_t gr = 0; gr < g.groups; ++gr) {
        for (int64_t r = 0; r < rows; ++r) {
          const int64_t q = out.active[b0 + r];
          const int64_t n = q / out_plane;
          const int64_t rest = q - n * out_plane;
          const int64_t oy = rest / g.out_w;
          const int64_t ox = rest - oy * g.out_w;
          float* arow = a.data() + r * k_dim;
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              const int64_t ix = ox * g.sw - g.pl + kx * g.dw;
              float* dst = arow + (ky * g.kw + kx) * g.cin_pg;
              int64_t p = -1;
              if (iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w) p = (n * g.in_h + iy) * g.in_w + ix;
              if (p >= 0 && x.mask[p]) std::memcpy(dst, x.values + p * g.cin + gr * g.cin_pg, sizeof(float) * g.cin_pg);
              else std::memset(dst, 0, sizeof(float) * g.cin_pg);
            }
          }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(rows), static_cast<int>(g.cout_pg), static_cast<int>(k_dim), 1.0f, a.data(),
                    static_cast<int>(k_dim), w + gr * g.cout_pg, static_cast<int>(g.cout), 0.0f, c.data() + gr * g.cout_pg, static_cast<int>(g.cout));
      }
      for (int64_t r = 0; r < rows; ++r) {
        std::memcpy(out.values + static_cast<int64_t>(out.active[b0 + r]) * g.cout, c.data() + r * g.cout, sizeof(float) * g.cout);
      }
    }
  });
}

// Depthwise (one input channel per group, channel multiplier m = Cout / Cin): direct loops over
// the active outputs; output channel co reads input channel co / m. (Register blocking left to
// GCC measured 2x slower than a plain loop, as it spilled the accumulators: hence intrinsics.)

void Depthwise(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out) {
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t m = g.cout_pg;
  const int64_t cin = g.cin;
  const int64_t taps = g.kh * g.kw;
  parallel_for(0, out.count, GrainFor(taps * g.cout), [&](int64_t b, int64_t e) {
    std::vector<int64_t> tap_pixel(static_cast<size_t>(taps));
    std::vector<int64_t> tap_index(static_cast<size_t>(taps));
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const int64_t n = q / out_plane;
      const int64_t rest = q - n * out_plane;
      const int64_t oy = rest / g.out_w;
      const int64_t ox = rest - oy * g.out_w;
      float* o = out.values + q * g.cout;
      // The active input pixels this window reads, found once for all channel blocks.
      int64_t live = 0;
      for (int64_t ky = 0; ky < g.kh; ++ky) {
        const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          const int64_t ix = ox * g.sw - g.pl + kx * g.dw;
          if (ix < 0 || ix >= g.in_w) continue;
          const int64_t p = (n * g.in_h + iy) * g.in_w + ix;
          if (!x.mask[p]) continue;
          tap_pixel[live] = p;
          tap_index[live++] = ky * g.kw + kx;
        }
      }
      if (m == 1) {
        int64_t c0 = 0;
#if defined(__AVX2__) && defined(__FMA__)
        // 32 channels at a time in four registers, accumulated over the live taps, stored once.
        for (; c0 + 32 <= g.cout; c0 += 32) {
          __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
          for (int64_t t = 0; t < live; ++t) {
            const float* xv = x.values + tap_pixel[t] * cin + c0;
            const float* wt = w + tap_index[t] * g.cout + c0;
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(xv), _mm256_loadu_ps(wt), a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(xv + 8), _mm256_loadu_ps(wt + 8), a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(xv + 16), _mm256_loadu_ps(wt + 16), a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(xv + 24), _mm256_loadu_ps(wt + 24), a3);
          }
          _mm256_storeu_ps(o + c0, a0);
          _mm256_storeu_ps(o + c0 + 8, a1);
          _mm256_storeu_ps(o + c0 + 16, a2);
          _mm256_storeu_ps(o + c0 + 24, a3);
        }
#endif
        for (int64_t c = c0; c < g.cout; ++c) {
          float acc = 0;
          for (int64_t t = 0; t < live; ++t) acc += x.values[tap_pixel[t] * cin + c] * w[tap_index[t] * g.cout + c];
          o[c] = acc;
        }
      } else {
        std::memset(o, 0, sizeof(float) * g.cout);
        for (int64_t t = 0; t < live; ++t) {
          const float* xv = x.values + tap_pixel[t] * cin;
          const float* wt = w + tap_index[t] * g.cout;
          for (int64_t ci = 0; ci < cin; ++ci) {
            const float d = xv[ci];
            for (int64_t j = 0; j < m; ++j) o[ci * m + j] += d * wt[ci * m + j];
          }
        }
      }
    }
  });
}

// Chooses between the input- and output-driven paths by estimated time, in nanoseconds, with
// constants fitted on esrgan's layers (144x192, 1 thread, CPU time; shared machine):
// - GEMM: 0.025 ns per multiply-accumulate (OpenBLAS sgemm, about 40 GMAC/s on one core);
// - im2col (output-driven): 0.4 ns per gathered input float;
// - summing Y (input-driven): 2.1 ns per (active input, tap) pair and output channel, plus about
//   100 ns per output pixel.
// Fitted on: blobs 10% in -> 12.9% out, 3x3 64->64: input-driven 5.9 ms, output-driven 4.1 ms;
// scattered 5% in -> 43% out: input-driven 3.7-4.9 ms, output-driven 16-18 ms. Blobs favour the
// output-driven path (a dense GEMM over reached outputs, steady up to everything active: it is
// also the dense fallback), scattered pixels and small Cout (3x3 64->4: 2x) the input-driven one.
bool PreferInputDriven(const ConvGeom& g, int64_t n_in, int64_t n_out) {
  const double taps = static_cast<double>(g.kh * g.kw);
  const double macs_per_pixel = taps * static_cast<double>(g.cin_pg * g.cout);
  const double in_cost = static_cast<double>(n_in) * (macs_per_pixel * 0.025 + taps * static_cast<double>(g.cout) * 2.1) + static_cast<double>(n_out) * 100.0;
  const double out_cost = static_cast<double>(n_out) * (macs_per_pixel * 0.025 + taps * static_cast<double>(g.cin) * 0.4);
  return in_cost < out_cost;
}

int64_t Conv2dDelta(const ConvGeom& g, const float* w, const PackedConv* pk, const DeltaView& x, DeltaView& out, int32_t path) {
  ClearDelta(out);
  if (x.count == 0) return 0;
  MarkOutputs(g, x, out);
  if (out.count == 0) return 0;
  if (g.cin_pg == 1 && path != 2) {
    Depthwise(g, w, x, out);
  } else {
    const bool output_driven = pk == nullptr || path == 2 || (path == 0 && !PreferInputDriven(g, x.count, out.count));
    if (output_driven) OutputDriven(g, w, x, out);
    else InputDriven(g, *pk, x, out);
  }
  return out.count;
}

void PackedFinalizer(Napi::Env, PackedConv* pk) { delete pk; }

// deltaPackConv2d(weight: Float32Array, dims: Int32Array [kh, kw, cinPerGroup, cout, groups, sh, sw, dh, dw]): Promise<External>
Napi::Value PackEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto w = F32(info[0], "weight");
  auto dims = I32(info[1], "dims");
  if (dims.length != 9) throw Napi::RangeError::New(env, "deltaPackConv2d: dims needs 9 entries");
  const int32_t* d = dims.data;
  for (int i = 0; i < 9; ++i) {
    if (d[i] < 1) throw Napi::RangeError::New(env, "deltaPackConv2d: dims must be positive");
  }
  if (static_cast<int64_t>(w.length) != int64_t{d[0]} * d[1] * d[2] * d[3] || d[3] % d[4] != 0) {
    throw Napi::RangeError::New(env, "deltaPackConv2d: weight size does not match dims");
  }
  auto holder = std::make_shared<std::unique_ptr<PackedConv>>();
  std::vector<int32_t> dv(d, d + 9);
  return AsyncKernel::Start(
      env, "deltaPackConv2d", {info[0]},
      [holder, w, dv]() { *holder = Pack(w.data, dv[0], dv[1], dv[2], dv[3], dv[4], dv[5], dv[6], dv[7], dv[8]); },
      [holder](Napi::Env e) -> Napi::Value { return Napi::External<PackedConv>::New(e, holder->release(), PackedFinalizer); });
}

// deltaConv2d(x, weight: Float32Array, packed: External | null, geom: Int32Array [kh, kw, sh, sw, dh, dw, padTop, padLeft, groups],
//             out, path: 0 auto | 1 input-driven | 2 output-driven): Promise<number>
Napi::Value Conv2dEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView x = ReadDelta(info[0], "x");
  auto w = F32(info[1], "weight");
  const PackedConv* pk = nullptr;
  if (info[2].IsExternal()) pk = info[2].As<Napi::External<PackedConv>>().Data();
  auto geom = I32(info[3], "geom");
  DeltaView out = ReadDelta(info[4], "out");
  const int32_t path = IntArg(info, 5, "path");
  if (geom.length != 9) throw Napi::RangeError::New(env, "deltaConv2d: geom needs 9 entries");
  const int32_t* gv = geom.data;
  ConvGeom g{gv[0], gv[1], gv[2], gv[3], gv[4], gv[5], gv[6], gv[7], gv[8], x.c, out.c, 0, 0, x.n, x.h, x.w, out.h, out.w};
  if (g.groups < 1 || g.cin % g.groups != 0 || g.cout % g.groups != 0 || g.kh < 1 || g.kw < 1 || g.sh < 1 || g.sw < 1 || g.dh < 1 || g.dw < 1 ||
      g.pt < 0 || g.pl < 0 || out.n != x.n) {
    throw Napi::RangeError::New(env, "deltaConv2d: invalid geometry");
  }
  g.cin_pg = g.cin / g.groups;
  g.cout_pg = g.cout / g.groups;
  if (static_cast<int64_t>(w.length) != g.kh * g.kw * g.cin_pg * g.cout) throw Napi::RangeError::New(env, "deltaConv2d: weight size does not match");
  if (pk && (pk->kh != g.kh || pk->kw != g.kw || pk->sh != g.sh || pk->sw != g.sw || pk->dh != g.dh || pk->dw != g.dw || pk->groups != g.groups ||
             pk->cin_pg != g.cin_pg || pk->cout != g.cout)) {
    throw Napi::RangeError::New(env, "deltaConv2d: packed weights were packed for another geometry");
  }
  std::vector<Napi::Value> keep{info[0], info[1], info[3], info[4]};
  if (pk) keep.push_back(info[2]);
  return StartCounted(env, "deltaConv2d", std::move(keep), [=]() mutable { return Conv2dDelta(g, w.data, pk, x, out, path); },
                      x.count * g.kh * g.kw * g.cin_pg * g.cout);
}

}  // namespace

void RegisterDeltaConv2d(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaPackConv2d", Napi::Function::New(env, PackEntry, "deltaPackConv2d"));
  exports.Set("deltaConv2d", Napi::Function::New(env, Conv2dEntry, "deltaConv2d"));
}

}  // namespace md
