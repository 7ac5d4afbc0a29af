import LeNetCore
import Testing

/// The fast window and reconstruction stages equal their definitions (StageReference) byte
/// for byte: random images of every shape class (thin, wide, taller than a strip is wide,
/// smaller than the window) and radii, flat and extreme images, and paper-like ones.
@Suite struct StageTwinTests {
    static let shapes = [(1, 1), (2, 9), (9, 2), (31, 17), (513, 5), (700, 33), (37, 600), (1025, 3), (64, 64)]

    @Test func slidingMinimumAndMaximumEqualTheirTwins() {
        var rng = Xoshiro256(seed: 21)
        for (w, h) in Self.shapes {
            for r in [0, 1, 2, 3, 4, 5, 7, 8, 17, 300] {
                let a = (0..<(w * h)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                for (reference, fast) in [(min, SlidingWindow.minimum), (max, SlidingWindow.maximum)]
                    as [((UInt8, UInt8) -> UInt8, (inout [UInt8], Int, Int, Int) -> Void)] {
                    var expected = a, got = a
                    StageReference.slide(&expected, width: w, height: h, radius: r, keep: reference)
                    fast(&got, w, h, r)
                    #expect(got == expected, "\(w)x\(h) r \(r)")
                }
            }
        }
    }

    /// DigitPreprocessing.grown's definition, as first written: `mask` grown by `radius`
    /// pixels in every direction (a square window), in two passes of prefix sums, rows then
    /// columns. Here rather than in StageReference, which the library carries.
    static func grown(_ mask: [Bool], width w: Int, height h: Int, radius r: Int) -> [Bool] {
        var rows = [Bool](repeating: false, count: w * h)
        var prefix = [Int](repeating: 0, count: max(w, h) + 1)
        for y in 0..<h {
            for x in 0..<w { prefix[x + 1] = prefix[x] + (mask[y * w + x] ? 1 : 0) }
            for x in 0..<w { rows[y * w + x] = prefix[min(w, x + r + 1)] - prefix[max(0, x - r)] > 0 }
        }
        var out = [Bool](repeating: false, count: w * h)
        for x in 0..<w {
            for y in 0..<h { prefix[y + 1] = prefix[y] + (rows[y * w + x] ? 1 : 0) }
            for y in 0..<h { out[y * w + x] = prefix[min(h, y + r + 1)] - prefix[max(0, y - r)] > 0 }
        }
        return out
    }

    /// Masks from empty to full, single pixels at the corners, and strokes' densities.
    @Test func growingAMaskEqualsItsTwin() {
        var rng = Xoshiro256(seed: 23)
        for (w, h) in Self.shapes {
            for r in [0, 1, 2, 5, 40] {
                for density in [0, 1, 5, 30, 100] {
                    var mask = (0..<(w * h)).map { _ in Int(rng.next() % 100) < density }
                    if density == 1 { mask = [Bool](repeating: false, count: w * h); mask[0] = true; mask[w * h - 1] = true }
                    #expect(DigitPreprocessing.grown(mask, width: w, height: h, radius: r)
                            == Self.grown(mask, width: w, height: h, radius: r), "\(w)x\(h) r \(r) density \(density)")
                }
            }
        }
    }

    @Test func boxMeanEqualsItsTwin() {
        var rng = Xoshiro256(seed: 22)
        for (w, h) in Self.shapes {
            for r in [0, 1, 3, 10, 200] {
                for fill in [nil, UInt8(0), 255] as [UInt8?] {
                    let a = (0..<(w * h)).map { _ in fill ?? UInt8(truncatingIfNeeded: rng.next()) }
                    #expect(SlidingWindow.boxMean(a, width: w, height: h, radius: r)
                            == StageReference.boxMean(a, width: w, height: h, radius: r), "\(w)x\(h) r \(r)")
                }
            }
        }
    }

    /// Reconstruction under masks with structure (smooth paper, strokes, noise), from the
    /// marker the preprocessing uses (the mask's sliding minimum) and from random ones.
    @Test func reconstructionEqualsItsTwin() {
        var rng = Xoshiro256(seed: 23)
        for (w, h) in Self.shapes {
            for kind in 0..<3 {
                let mask: [UInt8] = (0..<(w * h)).map { i in
                    let x = i % w, y = i / w, noise = UInt8(truncatingIfNeeded: rng.next()) % 16
                    switch kind {
                    case 0: return UInt8(truncatingIfNeeded: rng.next())
                    case 1: return UInt8((x * 3 + y * 2) % 200) &+ noise
                    default: return (x / 3 + y / 5) % 4 == 0 ? 250 : 40 &+ noise
                    }
                }
                var opened = mask
                SlidingWindow.minimum(&opened, width: w, height: h, radius: 2)
                let random = mask.map { UInt8.random(in: 0...$0, using: &rng) }
                for marker in [opened, random] {
                    var expected = marker, got = marker
                    StageReference.reconstruct(&expected, under: mask, width: w, height: h)
                    Reconstruction.byDilation(&got, under: mask, width: w, height: h)
                    #expect(got == expected, "\(w)x\(h) kind \(kind)")
                }
            }
        }
    }

    /// Labelling: the same part of every pixel and the same parts, in the same order, on
    /// random masks of every density and on stroke-like ones.
    @Test func labellingEqualsItsTwin() {
        var rng = Xoshiro256(seed: 24)
        for (w, h) in Self.shapes + [(0, 0), (5, 0)] {
            for density in [0, 10, 45, 60, 100] {
                let mask = (0..<(w * h)).map { i in
                    density == 60 ? (i % w + i / w) % 7 < 2 : Int(rng.next() % 100) < density
                }
                let got = Components.label(mask, width: w, height: h), expected = StageReference.label(mask, width: w, height: h)
                #expect(got.labels == expected.labels, "\(w)x\(h) \(density)%")
                #expect(got.parts.map { [$0.area, $0.x0, $0.y0, $0.x1, $0.y1] } == expected.parts.map { [$0.area, $0.x0, $0.y0, $0.x1, $0.y1] })
            }
        }
    }

    /// Which side is paper and how wide the strokes are: the same answer as the first
    /// version on random, flat and drawn images (light on dark and dark on light).
    @Test func paperSideEqualsItsTwin() {
        var rng = Xoshiro256(seed: 25)
        for (w, h) in Self.shapes {
            for kind in 0..<4 {
                let pixels: [UInt8] = (0..<(w * h)).map { i in
                    let x = i % w, y = i / w, stroke = (x / 2 + y) % 9 < 2
                    switch kind {
                    case 0: return UInt8(truncatingIfNeeded: rng.next())
                    case 1: return 200
                    case 2: return stroke ? 30 : 220 &- UInt8(truncatingIfNeeded: rng.next() % 20)
                    default: return stroke ? 240 : UInt8(truncatingIfNeeded: rng.next() % 40)
                    }
                }
                let image = GrayImage(width: w, height: h, pixels: pixels)
                let got = InkMap.sides(image), expected = StageReference.sides(image)
                #expect(got.lightPaper == expected.lightPaper && got.strokeWidth == expected.strokeWidth, "\(w)x\(h) kind \(kind)")
            }
        }
    }
}
