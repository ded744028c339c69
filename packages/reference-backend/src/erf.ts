/**
 * The error function in double precision. JavaScript has no `Math.erf`, and the native backend
 * evaluates `std::erf`, which in glibc (and most C libraries) is the algorithm below: Sun's fdlibm
 * `s_erf.c` (FreeBSD msun), rational approximations on four intervals, under one unit in the last
 * place. Written here from that algorithm and its published coefficients so that the reference
 * and native results agree to the last bit of a double, and so to float32 after rounding.
 *
 * Origin of the method and coefficients: "Copyright (C) 1993 by Sun Microsystems, Inc. All rights
 * reserved. Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is preserved."
 */

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;

// erf on [0, 0.84375]: x + x * P(x^2) / Q(x^2).
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5,
];
const QQ = [
  1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.9602282787753681232e-6,
];

// erf on [0.84375, 1.25]: erx + P(s) / Q(s), s = |x| - 1.
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1,
  3.54783043256182359371e-2, -2.166375594868790843e-3,
];
const QA = [
  1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2,
  1.1984499846799107417e-2,
];

// erfc on [1.25, 1/0.35]: exp(-x^2 - 0.5625 + R(s) / S(s)) / x, s = 1 / x^2.
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2,
  -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592,
];
const SA = [
  1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2,
  1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
];

// erfc on [1/0.35, 6]: the same form with other coefficients.
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2,
  -1.02509513161107724954e3, -4.83519191608651397019e2,
];
const SB = [
  1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3,
  4.74528541206955367215e2, -2.24409524465858183362e1,
];

/** c[0] + c[1] t + c[2] t^2 + ..., by Horner's rule (the order fdlibm evaluates in). */
function poly(c: readonly number[], t: number): number {
  let r = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) r = c[i]! + t * r;
  return r;
}

const words = new Float64Array(1);
const halves = new Uint32Array(words.buffer);
// Which Uint32 holds the low word of a double: 0 on little-endian hosts.
const LOW = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/** `x` with the low 32 bits of its significand cleared, so that `z * z` below is exact. */
function truncateLow(x: number): number {
  words[0] = x;
  halves[LOW] = 0;
  return words[0];
}

/** The double whose high word is `high` and low word 0 (fdlibm compares high words only). */
function fromHighWord(high: number): number {
  halves[LOW] = 0;
  halves[1 - LOW] = high;
  return words[0]!;
}

// 1/0.35 as fdlibm tests it (high word 0x4006DB6D), a little below 1/0.35 itself: a float32 input
// lies between the two, and must take the same interval as in C.
const RB_FROM = fromHighWord(0x4006db6d);

/** erf(|x|) for 0.84375 <= |x| < 6. */
function erfTail(ax: number): number {
  if (ax < 1.25) return ERX + poly(PA, ax - 1) / poly(QA, ax - 1);
  const s = 1 / (ax * ax);
  const ratio = ax < RB_FROM ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
  const z = truncateLow(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + ratio);
  return 1 - r / ax;
}

/** erf(x): odd, erf(+-inf) = +-1, erf(NaN) = NaN. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    // Below 2^-28 the series' second term is below the last place; 0 and -0 stay as they are.
    if (ax < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  const y = ax < 6 ? erfTail(ax) : 1;
  return x < 0 ? -y : y;
}
