// Runs every kernel under the host emulator (emu.h) on small random inputs and compares it with a
// plain double-precision loop written here from Backend.java's contracts. It checks indexing,
// tiling, split-K, bounds and barriers on a machine without a GPU; it says nothing about speed,
// and the Java launchers are checked by the @Tag("cuda") parity tests on a GPU.
// Build and run: kernels/emu-test.sh
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "../batchnorm.cu"
#include "../conv.cu"
#include "../elementwise.cu"
#include "../gemm.cu"
#include "../loss.cu"
#include "../mask.cu"
#include "../optim.cu"
#include "../pooling.cu"
#include "../reduce.cu"

static std::mt19937 rng(42);
static int failures = 0;

static std::vector<float> randv(size_t n, float lo = -1.f, float hi = 1.f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// Poisoned output buffer: NaN everywhere, so an element never written fails the comparison.
static std::vector<float> poison(size_t n) { return std::vector<float>(n, NAN); }

static void check(const char* what, const std::vector<double>& ref, const std::vector<float>& got,
                  double rtol, double atol) {
  double worst = 0;
  for (size_t i = 0; i < ref.size(); i++) {
    double diff = std::fabs(got[i] - ref[i]);
    double tol = atol + rtol * std::fabs(ref[i]);
    if (!(diff <= tol)) {
      std::printf("FAIL %-34s index %zu of %zu: expected %.9g got %.9g\n", what, i, ref.size(),
                  ref[i], (double)got[i]);
      failures++;
      return;
    }
    worst = std::max(worst, diff / (std::fabs(ref[i]) + atol));
  }
  std::printf("ok   %-34s n=%-7zu worst rel %.2e\n", what, ref.size(), worst);
}

static dim3 grid1(int n) { return dim3(std::min(64, (n + 255) / 256 + 1)); }
static const dim3 B(256);

// ---- elementwise, mask, sgd, reductions -------------------------------------------------------

static void test_elementwise() {
  {
    std::vector<float> x = {0.f, 41.f, -2.5f, 1e7f, 3.f};
    std::vector<double> ref;
    for (float v : x) ref.push_back((double)(v + 1.f));
    emu_launch(dim3(1), B, [&] { cs4j_add_scalar(x.data(), 1.f, (int)x.size()); });
    check("addScalar", ref, x, 0, 0);
  }
  for (int n : {1, 7, 1030}) {
    auto a = randv(n), b = randv(n);
    auto out = poison(n);
    emu_launch(grid1(n), B, [&] { cs4j_axpby(0.5f, a.data(), -2.f, b.data(), out.data(), n); });
    std::vector<double> ref(n);
    for (int i = 0; i < n; i++) ref[i] = 0.5 * a[i] - 2.0 * b[i];
    check(("axpby n=" + std::to_string(n)).c_str(), ref, out, 1e-6, 1e-7);

    auto y = poison(n);
    emu_launch(grid1(n), B, [&] { cs4j_sigmoid(a.data(), y.data(), n); });
    for (int i = 0; i < n; i++) ref[i] = 1.0 / (1.0 + std::exp(-(double)a[i]));
    check("sigmoid", ref, y, 1e-6, 0);
    auto r = a;
    r[0] = NAN;
    emu_launch(grid1(n), B, [&] { cs4j_relu(r.data(), y.data(), n); });
    for (int i = 0; i < n; i++) ref[i] = i == 0 ? 0.0 : std::max(0.0, (double)r[i]);
    y[0] = std::isnan(y[0]) ? 0.f : 1.f;  // relu(NaN) must be NaN
    check("relu (NaN passes)", ref, y, 0, 0);
    auto dx = poison(n);
    emu_launch(grid1(n), B, [&] { cs4j_relu_backward(a.data(), b.data(), dx.data(), n); });
    for (int i = 0; i < n; i++) ref[i] = a[i] > 0 ? b[i] : 0;
    check("reluBackward", ref, dx, 0, 0);
    float g = 3.f;
    auto o = poison(n);
    emu_launch(grid1(n), B, [&] { cs4j_broadcast_scalar(&g, 0.25f, o.data(), n); });
    for (int i = 0; i < n; i++) ref[i] = 0.75;
    check("broadcastScalar", ref, o, 0, 0);
  }
  int outer = 3, ch = 5, inner = 7, n = outer * ch * inner;
  auto x = randv(n), bias = randv(ch);
  auto out = poison(n);
  emu_launch(grid1(n), B, [&] { cs4j_add_bias(x.data(), bias.data(), out.data(), ch, inner, n); });
  std::vector<double> ref(n);
  for (int i = 0; i < n; i++) ref[i] = (double)x[i] + bias[(i / inner) % ch];
  check("addBias", ref, out, 1e-6, 1e-7);
  auto db = poison(ch);
  emu_launch(dim3(ch), B, [&] { cs4j_bias_grad(x.data(), outer, ch, inner, db.data()); });
  std::vector<double> rb(ch, 0.0);
  for (int i = 0; i < n; i++) rb[(i / inner) % ch] += x[i];
  check("biasGrad", rb, db, 1e-6, 1e-6);
}

static void test_sum_and_mask() {
  int n = 5003, blocks = 6;
  auto x = randv(n);
  std::vector<double> partials(blocks, NAN);
  float out = NAN;
  emu_launch(dim3(blocks), B, [&] { cs4j_sum_partial(x.data(), n, partials.data()); });
  emu_launch(dim3(1), B, [&] { cs4j_sum_finish(partials.data(), blocks, 1.0, &out); });
  double s = 0;
  for (float v : x) s += v;
  check("sum", {s}, {out}, 1e-6, 1e-6);

  auto w = randv(n), sc = randv(n, -3, 3), wEff = poison(n);
  float beta = 1.7f, c = 1.2f, lambda = 0.01f, penalty = NAN;
  emu_launch(dim3(blocks), B, [&] {
    cs4j_masked_weight_fwd(w.data(), sc.data(), beta, c, wEff.data(), n, partials.data());
  });
  emu_launch(dim3(1), B, [&] { cs4j_sum_finish(partials.data(), blocks, lambda, &penalty); });
  std::vector<double> ref(n);
  double pen = 0;
  for (int i = 0; i < n; i++) {
    double m = c / (1.0 + std::exp(-(double)beta * sc[i]));
    ref[i] = w[i] * m;
    pen += m;
  }
  check("maskedWeight wEff", ref, wEff, 1e-6, 1e-7);
  check("maskedWeight penalty", {lambda * pen}, {penalty}, 1e-6, 0);

  auto g = randv(n), dW = poison(n), dS = poison(n);
  float dPen = 0.8f;
  emu_launch(grid1(n), B, [&] {
    cs4j_masked_weight_bwd(w.data(), sc.data(), g.data(), &dPen, beta, c, lambda, dW.data(),
                           dS.data(), n);
  });
  std::vector<double> rs(n);
  for (int i = 0; i < n; i++) {
    double sig = 1.0 / (1.0 + std::exp(-(double)beta * sc[i]));
    ref[i] = g[i] * c * sig;
    rs[i] = ((double)g[i] * w[i] + lambda * dPen) * c * beta * sig * (1 - sig);
  }
  check("maskedWeightBackward dW", ref, dW, 1e-6, 1e-7);
  check("maskedWeightBackward dS", rs, dS, 1e-5, 1e-7);
}

static void test_sgd() {
  int n = 1027;
  for (int variant = 0; variant < 4; variant++) {
    bool nesterov = variant & 1, first = variant & 2;
    float lr = 0.1f, mu = 0.9f, damp = 0.f, wd = 5e-4f;
    auto w = randv(n), g = randv(n), buf = randv(n);
    std::vector<double> rw(n), rb(n);
    for (int i = 0; i < n; i++) {
      double d = g[i] + (double)wd * w[i];
      double m = first ? d : mu * (double)buf[i] + (1 - damp) * d;
      rb[i] = m;
      d = nesterov ? d + mu * m : m;
      rw[i] = w[i] - lr * d;
    }
    emu_launch(grid1(n), B, [&] {
      cs4j_sgd_step(w.data(), g.data(), buf.data(), n, lr, mu, damp, wd, nesterov, first);
    });
    std::string name = std::string("sgd") + (nesterov ? " nesterov" : "") + (first ? " first" : "");
    check((name + " w").c_str(), rw, w, 1e-5, 1e-6);
    check((name + " buf").c_str(), rb, buf, 1e-5, 1e-6);
  }
  auto w = randv(n), g = randv(n);
  std::vector<double> rw(n);
  for (int i = 0; i < n; i++) rw[i] = w[i] - 0.1 * (g[i] + 0.01 * w[i]);
  emu_launch(grid1(n), B, [&] {
    cs4j_sgd_step(w.data(), g.data(), nullptr, n, 0.1f, 0.f, 0.f, 0.01f, 0, 1);
  });
  check("sgd no momentum", rw, w, 1e-5, 1e-6);
}

// ---- gemm and convolution ---------------------------------------------------------------------

using TileKernel = void (*)(int, int, int, int, int, float, const float*, const float*, float,
                            float*, int, float*);

static void test_gemm() {
  struct Cfg {
    const char* name;
    TileKernel fn;
    int bm, bn;
  } cfgs[] = {{"64x64", cs4j_sgemm_64x64, 64, 64},
              {"128x32", cs4j_sgemm_128x32, 128, 32},
              {"128x16", cs4j_sgemm_128x16, 128, 16}};
  int m = 70, n = 37, k = 45;
  for (auto& cfg : cfgs) {
    for (int ta = 0; ta < 2; ta++) {
      for (int tb = 0; tb < 2; tb++) {
        for (int splits : {1, 3}) {
          auto a = randv(m * k), b = randv(k * n), c0 = randv(m * n);
          float alpha = 1.5f, beta = splits == 1 ? 0.f : 0.5f;
          std::vector<double> ref(m * n);
          for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
              double s = 0;
              for (int p = 0; p < k; p++)
                s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
              ref[i * n + j] = alpha * s + (beta == 0.f ? 0.0 : beta * c0[i * n + j]);
            }
          auto c = beta == 0.f ? poison(m * n) : c0;
          int kPer = ((k + splits - 1) / splits + CS4J_BK - 1) / CS4J_BK * CS4J_BK;
          int z = (k + kPer - 1) / kPer;
          dim3 grid((m + cfg.bm - 1) / cfg.bm, (n + cfg.bn - 1) / cfg.bn, z);
          if (z == 1) {
            emu_launch(grid, B, [&] {
              cfg.fn(ta, tb, m, n, k, alpha, a.data(), b.data(), beta, c.data(), kPer, nullptr);
            });
          } else {
            auto ws = poison((size_t)z * m * n);
            emu_launch(grid, B, [&] {
              cfg.fn(ta, tb, m, n, k, 1.f, a.data(), b.data(), 0.f, nullptr, kPer, ws.data());
            });
            emu_launch(dim3(8), B,
                       [&] { cs4j_splitk_reduce(ws.data(), z, m * n, alpha, beta, c.data()); });
          }
          char name[80];
          std::snprintf(name, sizeof name, "gemm %s tA=%d tB=%d splits=%d", cfg.name, ta, tb, z);
          check(name, ref, c, 1e-5, 1e-5);
        }
      }
    }
  }
}

using ConvKernel = void (*)(const float*, const float*, float*, int, int, int, int, int, int, int,
                            int, int, int, int, int, float*);

struct ConvCase {
  int n, c, h, w, k, r, s, stride, pad;
};

static void test_conv() {
  ConvKernel fwd[] = {cs4j_conv_fwd_64x64, cs4j_conv_fwd_128x32, cs4j_conv_fwd_128x16};
  ConvKernel bd[] = {cs4j_conv_bwd_data_64x64, cs4j_conv_bwd_data_128x32,
                     cs4j_conv_bwd_data_128x16};
  ConvKernel bw[] = {cs4j_conv_bwd_weight_64x64, cs4j_conv_bwd_weight_128x32,
                     cs4j_conv_bwd_weight_128x16};
  int bms[] = {64, 128, 128}, bns[] = {64, 32, 16};
  const char* names[] = {"64x64", "128x32", "128x16"};
  ConvCase cases[] = {{2, 3, 9, 8, 5, 3, 3, 1, 1}, {2, 4, 9, 9, 6, 3, 3, 2, 1},
                      {3, 5, 6, 7, 20, 1, 1, 2, 0}, {1, 2, 7, 7, 3, 3, 2, 2, 0}};
  for (auto& cc : cases) {
    int p = (cc.h + 2 * cc.pad - cc.r) / cc.stride + 1;
    int q = (cc.w + 2 * cc.pad - cc.s) / cc.stride + 1;
    int xs = cc.n * cc.c * cc.h * cc.w, ws_ = cc.k * cc.c * cc.r * cc.s, ys = cc.n * cc.k * p * q;
    auto x = randv(xs), w = randv(ws_), dy = randv(ys);
    std::vector<double> y(ys, 0.0), dx(xs, 0.0), dw(ws_, 0.0);
    for (int b = 0; b < cc.n; b++)
      for (int k = 0; k < cc.k; k++)
        for (int i = 0; i < p; i++)
          for (int j = 0; j < q; j++)
            for (int c = 0; c < cc.c; c++)
              for (int r = 0; r < cc.r; r++)
                for (int s = 0; s < cc.s; s++) {
                  int hh = i * cc.stride - cc.pad + r, ww = j * cc.stride - cc.pad + s;
                  if (hh < 0 || hh >= cc.h || ww < 0 || ww >= cc.w) continue;
                  int xi = ((b * cc.c + c) * cc.h + hh) * cc.w + ww;
                  int wi = ((k * cc.c + c) * cc.r + r) * cc.s + s;
                  int yi = ((b * cc.k + k) * p + i) * q + j;
                  y[yi] += (double)x[xi] * w[wi];
                  dx[xi] += (double)dy[yi] * w[wi];
                  dw[wi] += (double)dy[yi] * x[xi];
                }
    for (int v = 0; v < 3; v++) {
      char name[96];
      auto args = [&](const float* a, const float* b, float* o, int kPer, float* wsp) {
        return [=, &cc] {
          return std::make_tuple(a, b, o, cc.n, cc.c, cc.h, cc.w, cc.k, cc.r, cc.s, cc.stride,
                                 cc.stride, cc.pad, cc.pad, kPer, wsp);
        };
      };
      (void)args;
      // forward: rows N·P·Q, columns K, reduction C·R·S
      auto out = poison(ys);
      int crs = cc.c * cc.r * cc.s;
      emu_launch(dim3((cc.n * p * q + bms[v] - 1) / bms[v], (cc.k + bns[v] - 1) / bns[v]), B, [&] {
        fwd[v](x.data(), w.data(), out.data(), cc.n, cc.c, cc.h, cc.w, cc.k, cc.r, cc.s,
               cc.stride, cc.stride, cc.pad, cc.pad, crs, nullptr);
      });
      std::snprintf(name, sizeof name, "conv fwd %s %dx%d s%d p%d", names[v], cc.r, cc.s,
                    cc.stride, cc.pad);
      check(name, y, out, 1e-5, 1e-5);
      // backward data: rows N·H·W, columns C, reduction K·R·S
      auto gx = poison(xs);
      int krs = cc.k * cc.r * cc.s;
      emu_launch(dim3((cc.n * cc.h * cc.w + bms[v] - 1) / bms[v], (cc.c + bns[v] - 1) / bns[v]),
                 B, [&] {
                   bd[v](dy.data(), w.data(), gx.data(), cc.n, cc.c, cc.h, cc.w, cc.k, cc.r, cc.s,
                         cc.stride, cc.stride, cc.pad, cc.pad, krs, nullptr);
                 });
      std::snprintf(name, sizeof name, "conv bwd data %s %dx%d s%d p%d", names[v], cc.r, cc.s,
                    cc.stride, cc.pad);
      check(name, dx, gx, 1e-5, 1e-5);
      // backward weight with split-K: rows C·R·S, columns K, reduction N·P·Q in slices of 16
      int npq = cc.n * p * q;
      int kPer = CS4J_BK;
      int z = (npq + kPer - 1) / kPer;
      auto wsb = poison((size_t)z * ws_);
      auto gw = poison(ws_);
      emu_launch(dim3((crs + bms[v] - 1) / bms[v], (cc.k + bns[v] - 1) / bns[v], z), B, [&] {
        bw[v](x.data(), dy.data(), nullptr, cc.n, cc.c, cc.h, cc.w, cc.k, cc.r, cc.s, cc.stride,
              cc.stride, cc.pad, cc.pad, kPer, wsb.data());
      });
      emu_launch(dim3(4), B, [&] { cs4j_splitk_reduce(wsb.data(), z, ws_, 1.f, 0.f, gw.data()); });
      std::snprintf(name, sizeof name, "conv bwd weight %s %dx%d s%d split%d", names[v], cc.r,
                    cc.s, cc.stride, z);
      check(name, dw, gw, 1e-5, 1e-5);
    }
  }
}

// ---- batch norm, pooling, shortcut, loss --------------------------------------------------------

static void test_batchnorm() {
  int n = 3, ch = 4, l = 50, total = n * ch * l, splits = 3;
  auto x = randv(total, 2.f, 4.f), gamma = randv(ch), beta = randv(ch), dy = randv(total);
  auto rm = randv(ch), rv = randv(ch, 0.5f, 1.5f);
  auto rm0 = rm, rv0 = rv;
  float momentum = 0.1f, eps = 1e-5f;
  std::vector<double> partials(ch * splits * 2, NAN);
  auto mean = poison(ch), inv = poison(ch), coeff = poison(2 * ch), y = poison(total);
  emu_launch(dim3(splits, ch), B,
             [&] { cs4j_bn_stats_partial(x.data(), n, ch, l, splits, partials.data()); });
  emu_launch(dim3(1), B, [&] {
    cs4j_bn_stats_finish(x.data(), partials.data(), gamma.data(), beta.data(), n, ch, l, splits,
                         momentum, eps, rm.data(), rv.data(), mean.data(), inv.data(),
                         coeff.data());
  });
  emu_launch(grid1(total), B,
             [&] { cs4j_bn_apply(x.data(), coeff.data(), ch, l, total, y.data()); });
  std::vector<double> rmean(ch), rinv(ch), ry(total), rrm(ch), rrv(ch), dg(ch), dbt(ch),
      rdx(total);
  int m = n * l;
  for (int c = 0; c < ch; c++) {
    double s = 0, sq = 0;
    for (int b = 0; b < n; b++)
      for (int j = 0; j < l; j++) s += x[(b * ch + c) * l + j];
    double mu = s / m;
    for (int b = 0; b < n; b++)
      for (int j = 0; j < l; j++) sq += std::pow(x[(b * ch + c) * l + j] - mu, 2);
    rmean[c] = mu;
    rinv[c] = 1 / std::sqrt(sq / m + eps);
    rrm[c] = (1 - momentum) * rm0[c] + momentum * mu;
    rrv[c] = (1 - momentum) * rv0[c] + momentum * sq / (m - 1);
    for (int b = 0; b < n; b++)
      for (int j = 0; j < l; j++) {
        int i = (b * ch + c) * l + j;
        double xh = (x[i] - mu) * rinv[c];
        ry[i] = gamma[c] * xh + beta[c];
        dg[c] += dy[i] * xh;
        dbt[c] += dy[i];
      }
    for (int b = 0; b < n; b++)
      for (int j = 0; j < l; j++) {
        int i = (b * ch + c) * l + j;
        double xh = (x[i] - mu) * rinv[c];
        rdx[i] = gamma[c] * rinv[c] / m * (m * dy[i] - dbt[c] - xh * dg[c]);
      }
  }
  check("bn saveMean", rmean, mean, 1e-6, 1e-7);
  check("bn saveInvStd", rinv, inv, 1e-5, 0);
  check("bn y", ry, y, 1e-5, 1e-5);
  check("bn runningMean", rrm, rm, 1e-6, 1e-7);
  check("bn runningVar", rrv, rv, 1e-5, 1e-7);
  auto dgam = poison(ch), dbet = poison(ch), dx = poison(total);
  emu_launch(dim3(splits, ch), B, [&] {
    cs4j_bn_bwd_partial(x.data(), dy.data(), mean.data(), inv.data(), n, ch, l, splits,
                        partials.data());
  });
  emu_launch(dim3(1), B,
             [&] { cs4j_bn_bwd_finish(partials.data(), ch, splits, dgam.data(), dbet.data()); });
  emu_launch(grid1(total), B, [&] {
    cs4j_bn_bwd_apply(x.data(), dy.data(), gamma.data(), mean.data(), inv.data(), dgam.data(),
                      dbet.data(), n, ch, l, dx.data());
  });
  check("bn dGamma", dg, dgam, 1e-5, 1e-5);
  check("bn dBeta", dbt, dbet, 1e-5, 1e-5);
  check("bn dX", rdx, dx, 1e-4, 1e-5);
  auto ye = poison(total);
  emu_launch(dim3(1), B, [&] {
    cs4j_bn_eval_coeff(gamma.data(), beta.data(), rm.data(), rv.data(), ch, eps, coeff.data());
  });
  emu_launch(grid1(total), B,
             [&] { cs4j_bn_apply(x.data(), coeff.data(), ch, l, total, ye.data()); });
  for (int i = 0; i < total; i++) {
    int c = (i / l) % ch;
    ry[i] = gamma[c] * (x[i] - rm[c]) / std::sqrt(rv[c] + eps) + beta[c];
  }
  check("bn eval y", ry, ye, 1e-5, 1e-5);
}

static void test_pooling() {
  struct P {
    int h, w, r, stride, pad;
  } cases[] = {{8, 7, 2, 2, 0}, {9, 9, 3, 2, 1}, {6, 6, 3, 1, 1}};
  int planes = 3;
  for (auto& pc : cases) {
    int p = (pc.h + 2 * pc.pad - pc.r) / pc.stride + 1, q = (pc.w + 2 * pc.pad - pc.r) / pc.stride + 1;
    int xs = planes * pc.h * pc.w, ys = planes * p * q;
    auto x = randv(xs), dy = randv(ys);
    auto y = poison(ys), am = poison(ys), dx = poison(xs), ya = poison(ys), dxa = poison(xs);
    std::vector<double> ry(ys), ram(ys), rdx(xs, 0.0), rya(ys), rdxa(xs, 0.0);
    for (int pl = 0; pl < planes; pl++)
      for (int i = 0; i < p; i++)
        for (int j = 0; j < q; j++) {
          float best = -INFINITY;
          int bi = -1;
          double sum = 0;
          for (int r = 0; r < pc.r; r++)
            for (int s = 0; s < pc.r; s++) {
              int hh = i * pc.stride - pc.pad + r, ww = j * pc.stride - pc.pad + s;
              if (hh < 0 || hh >= pc.h || ww < 0 || ww >= pc.w) continue;
              float v = x[pl * pc.h * pc.w + hh * pc.w + ww];
              sum += v;
              if (bi < 0 || v > best) best = v, bi = hh * pc.w + ww;
            }
          int o = (pl * p + i) * q + j;
          ry[o] = best;
          ram[o] = bi;
          rya[o] = sum / (pc.r * pc.r);
          rdx[pl * pc.h * pc.w + bi] += dy[o];
          for (int r = 0; r < pc.r; r++)
            for (int s = 0; s < pc.r; s++) {
              int hh = i * pc.stride - pc.pad + r, ww = j * pc.stride - pc.pad + s;
              if (hh < 0 || hh >= pc.h || ww < 0 || ww >= pc.w) continue;
              rdxa[pl * pc.h * pc.w + hh * pc.w + ww] += dy[o] / (pc.r * pc.r);
            }
        }
    int a[] = {planes, pc.h, pc.w, p, q, pc.r, pc.r, pc.stride, pc.stride, pc.pad, pc.pad};
    emu_launch(dim3(2), B, [&] {
      cs4j_maxpool_fwd(x.data(), y.data(), am.data(), a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                       a[7], a[8], a[9], a[10]);
    });
    emu_launch(dim3(2), B, [&] {
      cs4j_maxpool_bwd(dy.data(), am.data(), dx.data(), a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                       a[7], a[8], a[9], a[10]);
    });
    emu_launch(dim3(2), B, [&] {
      cs4j_avgpool_fwd(x.data(), ya.data(), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                       a[9], a[10]);
    });
    emu_launch(dim3(2), B, [&] {
      cs4j_avgpool_bwd(dy.data(), dxa.data(), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                       a[8], a[9], a[10]);
    });
    std::string tag = " r" + std::to_string(pc.r) + " s" + std::to_string(pc.stride) + " p" +
                      std::to_string(pc.pad);
    check(("maxpool y" + tag).c_str(), ry, y, 0, 0);
    check(("maxpool argmax" + tag).c_str(), ram, am, 0, 0);
    check(("maxpool dX" + tag).c_str(), rdx, dx, 1e-6, 1e-7);
    check(("avgpool y" + tag).c_str(), rya, ya, 1e-6, 1e-7);
    check(("avgpool dX" + tag).c_str(), rdxa, dxa, 1e-6, 1e-7);
  }
  int n = 2, c = 4, h = 5, w = 6, k = 8, ho = 3, wo = 3;
  auto x = randv(n * c * h * w), dy = randv(n * k * ho * wo);
  auto y = poison(n * k * ho * wo), dx = poison(n * c * h * w);
  std::vector<double> ry(y.size(), 0.0), rdx(dx.size(), 0.0);
  for (int b = 0; b < n; b++)
    for (int ch = 0; ch < c; ch++)
      for (int i = 0; i < ho; i++)
        for (int j = 0; j < wo; j++) {
          int bi = ((b * c + ch) * h + 2 * i) * w + 2 * j, si = ((b * k + ch + 2) * ho + i) * wo + j;
          ry[si] = x[bi];
          rdx[bi] = dy[si];
        }
  emu_launch(dim3(2), B, [&] { cs4j_shortcut_a_fwd(x.data(), y.data(), n, c, h, w, k); });
  emu_launch(dim3(2), B, [&] { cs4j_shortcut_a_bwd(dy.data(), dx.data(), n, c, h, w, k); });
  check("shortcutA y", ry, y, 0, 0);
  check("shortcutA dX", rdx, dx, 0, 0);
}

static void test_loss() {
  int n = 37, k = 10;
  auto z = randv(n * k, -5, 5);
  std::vector<float> labels(n);
  for (int i = 0; i < n; i++) labels[i] = (float)(rng() % k);
  auto probs = poison(n * k), dz = poison(n * k);
  std::vector<double> rows(n, NAN);
  float loss = NAN, dLoss = 2.f;
  emu_launch(dim3(1), B,
             [&] { cs4j_softmax_ce_fwd(z.data(), labels.data(), probs.data(), rows.data(), n, k); });
  emu_launch(dim3(1), B, [&] { cs4j_sum_finish(rows.data(), n, 1.0 / n, &loss); });
  emu_launch(dim3(2), B, [&] {
    cs4j_softmax_ce_bwd(probs.data(), labels.data(), &dLoss, dz.data(), n, k);
  });
  std::vector<double> rp(n * k), rdz(n * k);
  double total = 0;
  for (int i = 0; i < n; i++) {
    double se = 0;
    for (int j = 0; j < k; j++) se += std::exp((double)z[i * k + j]);
    for (int j = 0; j < k; j++) {
      rp[i * k + j] = std::exp((double)z[i * k + j]) / se;
      rdz[i * k + j] = dLoss / n * (rp[i * k + j] - (j == (int)labels[i] ? 1 : 0));
    }
    total += std::log(se) - z[i * k + (int)labels[i]];
  }
  check("softmax probs", rp, probs, 1e-6, 1e-7);
  check("cross-entropy loss", {total / n}, {loss}, 1e-6, 0);
  check("cross-entropy dLogits", rdz, dz, 1e-5, 1e-7);
  labels[3] = 10.f;  // out of range: that row's loss is NaN
  emu_launch(dim3(1), B,
             [&] { cs4j_softmax_ce_fwd(z.data(), labels.data(), probs.data(), rows.data(), n, k); });
  if (!std::isnan(rows[3]) || std::isnan(rows[2])) {
    std::printf("FAIL bad label must give NaN in its row only\n");
    failures++;
  } else {
    std::printf("ok   bad label gives a NaN row loss\n");
  }
}

// Top-1 hits over more rows than the block has threads, with ties (the first maximum wins) and a
// NaN logit (never the maximum), against the CPU backend's loop.
static void test_count_correct() {
  int n = 613, k = 10;
  auto z = randv(n * k, -2, 2);
  std::vector<float> labels(n);
  for (int i = 0; i < n; i++) labels[i] = (float)(rng() % k);
  for (int i = 0; i < n; i += 7) z[i * k + 4] = z[i * k + 2];  // ties between classes 2 and 4
  z[5 * k + 3] = NAN;
  int ref = 0;
  for (int i = 0; i < n; i++) {
    int best = 0;
    for (int j = 1; j < k; j++)
      if (z[i * k + j] > z[i * k + best]) best = j;
    if (best == (int)labels[i]) ref++;
  }
  float out = NAN;
  emu_launch(dim3(1), B, [&] { cs4j_count_correct(z.data(), labels.data(), &out, n, k); });
  check("countCorrect", {(double)ref}, {out}, 0, 0);
}

// ℓ0 hard-concrete gates: sampled (noise drawn in-kernel from the counter-based SplitMix64 stream)
// and test-time, against the formulas in double with the noise drawn here.
static void test_hard_concrete() {
  int n = 1030;
  auto a = randv(n, -3, 3);
  unsigned long long state = 0x1234567890ABCDEFull;
  long long offset = 77;
  float t = 2.f / 3.f, gamma = -0.1f, zeta = 1.1f;
  auto z = poison(n), dz = poison(n), zt = poison(n);
  emu_launch(grid1(n), B, [&] {
    cs4j_hard_concrete(a.data(), 1, state, offset, t, gamma, zeta, z.data(), dz.data(), n);
  });
  emu_launch(grid1(n), B, [&] {
    cs4j_hard_concrete(a.data(), 0, 0, 0, t, gamma, zeta, zt.data(), nullptr, n);
  });
  std::vector<double> rz(n), rdz(n), rzt(n);
  for (int i = 0; i < n; i++) {
    unsigned long long x = state + (unsigned long long)(offset + i + 1) * 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x = x ^ (x >> 31);
    double u = std::min(1.0 - 0x1p-24, std::max(0x1p-126, (double)(x >> 40) * 0x1p-24));
    double s = 1.0 / (1.0 + std::exp(-(std::log(u) - std::log1p(-u) + a[i]) / t));
    double stretched = s * (zeta - gamma) + gamma;
    rz[i] = std::min(1.0, std::max(0.0, stretched));
    rdz[i] = stretched > 0 && stretched < 1 ? (zeta - gamma) * s * (1 - s) / t : 0.0;
    double st = 1.0 / (1.0 + std::exp(-(double)a[i]));
    rzt[i] = std::min(1.0, std::max(0.0, st * (zeta - gamma) + gamma));
  }
  check("hardConcrete sampled z", rz, z, 1e-5, 1e-6);
  check("hardConcrete dz/dlogAlpha", rdz, dz, 1e-4, 1e-6);
  check("hardConcrete test gate", rzt, zt, 1e-6, 1e-7);
}

int main() {
  test_elementwise();
  test_sum_and_mask();
  test_sgd();
  test_gemm();
  test_conv();
  test_batchnorm();
  test_pooling();
  test_loss();
  test_count_correct();
  test_hard_concrete();
  std::printf(failures == 0 ? "all kernels agree with the reference loops\n"
                            : "%d check(s) failed\n",
              failures);
  return failures == 0 ? 0 : 1;
}
