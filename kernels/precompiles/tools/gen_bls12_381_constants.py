#!/usr/bin/env python3
"""Generates kernels/precompiles/bls12_381_constants.h: the constants of the EIP-2537 precompiles that the
KZG code (pairing_constants.h) does not already have: the simplified SWU maps and isogenies of RFC 9380
(sections 8.8.1 / 8.8.2, appendix E.2 / E.3), the untwist-Frobenius-twist endomorphism psi of G2, and the
MSM gas discount tables of EIP-2537. Every constant is checked here before it is written (the isogenies map
random points of E' onto E, psi acts on G2 as [x], the SWU curves are the ones the isogenies start from).
Run: python3 kernels/precompiles/tools/gen_bls12_381_constants.py > kernels/precompiles/bls12_381_constants.h
"""
import random

X = -0xd201000000010000  # the BLS12-381 curve parameter
P = ((X - 1) ** 2) * (X**4 - X**2 + 1) // 3 + X
R = X**4 - X**2 + 1
assert P == 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
MONT = 2**384 % P
G2_GEN = ((0x24aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8,
           0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e),
          (0xce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801,
           0x606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be))


# ---- Fp2 = Fp[u] / (u^2 + 1), elements as (c0, c1) ----
def f2(a, b=0): return (a % P, b % P)
def add(x, y): return f2(x[0] + y[0], x[1] + y[1])
def sub(x, y): return f2(x[0] - y[0], x[1] - y[1])
def mul(x, y): return f2(x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0])
def neg(x): return f2(-x[0], -x[1])
def conj(x): return f2(x[0], -x[1])
def inv(x):
    n = pow(x[0] * x[0] + x[1] * x[1], P - 2, P)
    return f2(x[0] * n, -x[1] * n)
def power(x, e):
    r = f2(1)
    while e:
        if e & 1: r = mul(r, x)
        x = mul(x, x); e >>= 1
    return r
def is_square(x): return power(x, (P * P - 1) // 2) in (f2(1), f2(0))
def sqrt(x):
    # p^2 = 9 mod 16: candidates x^((p^2 + 7) / 16) times a fourth/eighth root of unity.
    c = power(x, (P * P + 7) // 16)
    for k in range(8):
        root = power(f2(1, 1), k * (P * P - 1) // 8)  # the 8th roots of unity
        if mul(mul(c, root), mul(c, root)) == x: return mul(c, root)
    raise ValueError('not a square')


# ---- RFC 9380 constants (section 8.8, appendix E) ----
G1_A = 0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d
G1_B = 0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0
G1_Z = 11
G2_A, G2_B, G2_Z = f2(0, 240), f2(1012, 1012), f2(-2, -1)

# 11-isogeny E' -> E (G1), coefficients k_(.,0) .. k_(.,d) (the denominators are monic: their last 1 is implicit)
ISO11 = {
    'xnum': [0x11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7,
             0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb,
             0x0d54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0,
             0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861,
             0x0e99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9,
             0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983,
             0x0d6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84,
             0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e,
             0x080d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317,
             0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e,
             0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b,
             0x06e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229],
    'xden': [0x08ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c,
             0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff,
             0x0b2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19,
             0x03425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8,
             0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e,
             0x0e7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5,
             0x0772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a,
             0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e,
             0x0a10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641,
             0x095fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a],
    'ynum': [0x090d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33,
             0x134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696,
             0x00cc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6,
             0x01f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb,
             0x08cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb,
             0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0,
             0x04ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2,
             0x0987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29,
             0x09fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587,
             0x0e1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30,
             0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132,
             0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e,
             0x0b182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8,
             0x0245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133,
             0x05c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b,
             0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604],
    'yden': [0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1,
             0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d,
             0x058df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2,
             0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416,
             0x0be0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d,
             0x08d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac,
             0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c,
             0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9,
             0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a,
             0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55,
             0x04d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8,
             0x0accbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092,
             0x0ad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc,
             0x02660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7,
             0x0e0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f],
}
# 3-isogeny E' -> E (G2), same layout
ISO3 = {
    'xnum': [f2(0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6,
                0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6),
             f2(0, 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a),
             f2(0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e,
                0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d),
             f2(0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1, 0)],
    'xden': [f2(0, -72), f2(12, -12)],
    'ynum': [f2(0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706,
                0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706),
             f2(0, 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be),
             f2(0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c,
                0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f),
             f2(0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10, 0)],
    'yden': [f2(-432, -432), f2(0, -216), f2(18, -18)],
}

# EIP-2537 MSM discount tables (per mille, for k = 1 .. 128 pairs; larger k use the last entry).
DISCOUNT_G1 = [1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665, 661,
               658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615, 613, 611,
               609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585, 584, 582, 581,
               580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563, 562, 561, 560, 559,
               558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545, 544, 543, 542, 541, 540,
               540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529, 528, 528, 527, 526, 525, 525,
               524, 523, 522, 522, 521, 520, 520, 519]
DISCOUNT_G2 = [1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704, 699, 693,
               688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632, 629, 627, 624,
               622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593, 592, 590, 589, 587,
               586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568, 567, 566, 565, 563, 562,
               561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549, 548, 547, 546, 545, 545, 544,
               543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534, 533, 532, 532, 531, 530, 530, 529,
               528, 528, 527, 526, 526, 525, 524, 524]
assert len(DISCOUNT_G1) == len(DISCOUNT_G2) == 128


# ---- checks ----
def horner(coeffs, x, monic, ops):
    mul_, add_, one = ops
    acc = one if monic else coeffs[-1]
    for c in reversed(coeffs if monic else coeffs[:-1]): acc = add_(mul_(acc, x), c)
    return acc


fp_ops = (lambda a, b: a * b % P, lambda a, b: (a + b) % P, 1)
f2_ops = (mul, add, f2(1))
rng = random.Random(2537)
for _ in range(20):  # G1: random points of E': y^2 = x^3 + A'x + B' land on E: y^2 = x^3 + 4
    while True:
        x = rng.randrange(P)
        g = (x**3 + G1_A * x + G1_B) % P
        if pow(g, (P - 1) // 2, P) == 1: break
    y = pow(g, (P + 1) // 4, P)
    xn, xd = horner(ISO11['xnum'], x, False, fp_ops), horner(ISO11['xden'], x, True, fp_ops)
    yn, yd = horner(ISO11['ynum'], x, False, fp_ops), horner(ISO11['yden'], x, True, fp_ops)
    X_, Y_ = xn * pow(xd, P - 2, P) % P, y * yn * pow(yd, P - 2, P) % P
    assert (Y_ * Y_ - X_**3 - 4) % P == 0
B2 = f2(4, 4)
for _ in range(10):  # G2: the same through the 3-isogeny onto y^2 = x^3 + 4(1 + u)
    while True:
        x = f2(rng.randrange(P), rng.randrange(P))
        g = add(add(mul(mul(x, x), x), mul(G2_A, x)), G2_B)
        if is_square(g): break
    y = sqrt(g)
    xn, xd = horner(ISO3['xnum'], x, False, f2_ops), horner(ISO3['xden'], x, True, f2_ops)
    yn, yd = horner(ISO3['ynum'], x, False, f2_ops), horner(ISO3['yden'], x, True, f2_ops)
    X_, Y_ = mul(xn, inv(xd)), mul(mul(y, yn), inv(yd))
    assert mul(Y_, Y_) == add(mul(mul(X_, X_), X_), B2)
# SWU needs Z a non-square with g(B / (Z A)) square (RFC 9380 section 6.6.2 / 8.8): the RFC's choices.
assert pow(G1_Z, (P - 1) // 2, P) == P - 1 and not is_square(G2_Z)

# psi(x, y) = (conj(x) * PSI_X, conj(y) * PSI_Y): untwist, Frobenius, twist (xi = 1 + u).
PSI_X = inv(power(f2(1, 1), (P - 1) // 3))
PSI_Y = inv(power(f2(1, 1), (P - 1) // 2))


def g2_add(p1, p2):
    if p1 is None: return p2
    if p2 is None: return p1
    if p1[0] == p2[0]:
        if p1[1] != p2[1] or p1[1] == f2(0): return None
        lam = mul(mul(f2(3), mul(p1[0], p1[0])), inv(add(p1[1], p1[1])))
    else:
        lam = mul(sub(p2[1], p1[1]), inv(sub(p2[0], p1[0])))
    x3 = sub(sub(mul(lam, lam), p1[0]), p2[0])
    return (x3, sub(mul(lam, sub(p1[0], x3)), p1[1]))


def g2_mul(pt, k):
    neg_ = k < 0
    k, r = abs(k), None
    while k:
        if k & 1: r = g2_add(r, pt)
        pt = g2_add(pt, pt); k >>= 1
    return (r[0], neg(r[1])) if neg_ and r else r


gen = (f2(*G2_GEN[0]), f2(*G2_GEN[1]))
psi_gen = (mul(conj(gen[0]), PSI_X), mul(conj(gen[1]), PSI_Y))
assert psi_gen == g2_mul(gen, X)  # psi acts on G2 as [x] (x = p mod r)

# ---- output ----
def limbs(v):
    v %= P
    return '{' + ', '.join('0x%016xULL' % ((v >> (64 * i)) & (2**64 - 1)) for i in range(6)) + '}'
def mont(v): return v * MONT % P


out = []
w = out.append
w('// GENERATED by kernels/precompiles/tools/gen_bls12_381_constants.py: do not edit by hand.')
w('// Limbs are little-endian 64-bit words of Montgomery forms (times R = 2^384 mod p). Fp2 constants are')
w('// consecutive (c0, c1) pairs. Isogeny polynomials: coefficients k_0 .. k_d; the denominators are monic and')
w('// their leading 1 is left out.')
w('#pragma once')
w('#include "../crypto/const_table.h"')
w('')
w('namespace kern {')
w('namespace bls12_consts {')


def table_fp(name, values, comment):
    w(f'// {comment}')
    w(f'KERN_TABLE(uint64_t, {name}, [{len(values)}][6], {{' + ', '.join(limbs(mont(v)) for v in values) + '})')
    w(f'constexpr int {name}_LEN = {len(values)};')


def table_f2(name, values, comment):
    flat = [c for v in values for c in v]
    w(f'// {comment}')
    w(f'KERN_TABLE(uint64_t, {name}, [{len(flat)}][6], {{' + ', '.join(limbs(mont(v)) for v in flat) + '})')
    w(f'constexpr int {name}_LEN = {len(values)};')


fp_inv = lambda v: pow(v, P - 2, P)
table_fp('sswu_g1', [G1_A, G1_B, G1_Z, -G1_B * fp_inv(G1_A), G1_B * fp_inv(G1_Z * G1_A)],
         "G1 simplified SWU on E': A', B', Z, -B'/A', B'/(Z A') (RFC 9380 section 8.8.1)")
table_f2('sswu_g2', [G2_A, G2_B, G2_Z, neg(mul(G2_B, inv(G2_A))), mul(G2_B, inv(mul(G2_Z, G2_A)))],
         "G2 simplified SWU on E': A' = 240u, B' = 1012(1 + u), Z = -(2 + u), -B'/A', B'/(Z A') (section 8.8.2)")
for part in ('xnum', 'xden', 'ynum', 'yden'):
    table_fp(f'iso11_{part}', ISO11[part], f'11-isogeny E\' -> E of G1, {part} (RFC 9380 appendix E.2)')
for part in ('xnum', 'xden', 'ynum', 'yden'):
    table_f2(f'iso3_{part}', ISO3[part], f'3-isogeny E\' -> E of G2, {part} (RFC 9380 appendix E.3)')
table_f2('psi', [PSI_X, PSI_Y], 'psi(x, y) = (conj(x) (1 + u)^-((p-1)/3), conj(y) (1 + u)^-((p-1)/2)), acting on G2 as [x]')
w('// EIP-2537 MSM gas discounts (per mille) for k = 1 .. 128 pairs; larger k use the last entry.')
w('KERN_TABLE(uint16_t, msm_discount_g1, [128], {' + ', '.join(map(str, DISCOUNT_G1)) + '})')
w('KERN_TABLE(uint16_t, msm_discount_g2, [128], {' + ', '.join(map(str, DISCOUNT_G2)) + '})')
w('constexpr int msm_discount_LEN = 128;')
w('}  // namespace bls12_consts')
w('}  // namespace kern')
print('\n'.join(out))
