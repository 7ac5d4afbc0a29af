import LeNetCore
import Testing

/// The digit preprocessing on pictures where deciding from the border fails: a digit cropped
/// so tightly that its border is ink, a shadow over most of the page, uneven light, ruled
/// paper. Each is compared with the same digit presented cleanly.
@Suite struct PreprocessingTests {
    /// MNIST digit `i` as a dark-on-white scan, `scale` times the size, with a margin.
    func scan(_ i: Int, scale: Int = 3, margin: Int = 12) -> GrayImage {
        let d = mnistDigit(i)
        let side = 28 * scale + 2 * margin
        var px = [UInt8](repeating: 255, count: side * side)
        for y in 0..<(28 * scale) {
            for x in 0..<(28 * scale) { px[(y + margin) * side + x + margin] = 255 - d[(y / scale) * 28 + x / scale] }
        }
        return GrayImage(width: side, height: side, pixels: px)
    }

    func digit(_ image: GrayImage) throws -> [UInt8] { try DigitPreprocessing.mnistDigit(from: image) }

    /// Light multiplying the page: `light(x, y)` in 0...1.
    func lit(_ image: GrayImage, _ light: (Int, Int) -> Double) -> GrayImage {
        var out = image
        for y in 0..<image.height {
            for x in 0..<image.width { out.pixels[y * image.width + x] = UInt8(Double(image[x, y]) * light(x, y)) }
        }
        return out
    }

    /// A zero that fills its image: dark top and bottom arcs, faint left and right strokes,
    /// the ring touching all four edges. Read from the border, the paper looked inky and its
    /// "texture" swallowed the faint strokes; only the arcs were left (and the model said 5).
    @Test func aTightCropKeepsItsFaintStrokes() throws {
        let w = 40, h = 56
        var px = [UInt8](repeating: 255, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let u = (Double(x) + 0.5 - Double(w) / 2) / (Double(w) / 2), v = (Double(y) + 0.5 - Double(h) / 2) / (Double(h) / 2)
                let r = (u * u + v * v).squareRoot()
                guard r > 0.62, r <= 1.05 else { continue }
                px[y * w + x] = abs(v) > 0.6 ? 0 : 150  // the sides are grey pencil
            }
        }
        let out = try digit(GrayImage(width: w, height: h, pixels: px))
        var left = 0, right = 0, centre = 0, total = 0
        for y in 0..<28 {
            for x in 0..<28 {
                let v = Int(out[y * 28 + x])
                total += v
                if x < 11, (9..<19).contains(y) { left += v }
                if x > 16, (9..<19).contains(y) { right += v }
                if (12..<16).contains(x), (11..<17).contains(y) { centre += v }
            }
        }
        #expect(left * 10 > total && right * 10 > total, "side strokes: left \(left), right \(right) of \(total)")
        #expect(centre * 50 < total, "the ring's hole has ink: \(centre) of \(total)")
    }

    /// A shadow with a sharp diagonal edge over most of the page, and light falling off
    /// across it, are divided out: the digit comes out as it does from the clean scan.
    @Test func shadowsAndUnevenLightAreDividedOut() throws {
        for i in 0..<10 {
            let clean = scan(i)
            let expected = try digit(clean)
            let w = Double(clean.width)
            let shadow = lit(clean) { x, y in Double(x) > 0.25 * w + 0.5 * Double(y) ? 0.45 : 1 }
            let gradient = lit(clean) { x, _ in 1 - 0.6 * Double(x) / w }
            #expect(shiftedCorrelation(try digit(shadow), expected) > 0.95, "digit \(i) under a shadow")
            #expect(shiftedCorrelation(try digit(gradient), expected) > 0.95, "digit \(i) in uneven light")
        }
    }

    /// Ruled lines across the whole page stand out from the paper less than the ink: they
    /// neither widen the digit's box to the page nor stay in it.
    @Test func ruledLinesAreNotTheDigit() throws {
        for i in 0..<10 {
            let clean = scan(i)
            var ruled = clean
            for y in stride(from: 5, to: clean.height, by: 16) {
                for x in 0..<clean.width { ruled.pixels[y * clean.width + x] = min(ruled.pixels[y * clean.width + x], 190) }
            }
            #expect(shiftedCorrelation(try digit(ruled), try digit(clean)) > 0.95, "digit \(i)")
        }
    }

    /// Which side is paper comes from the whole image: white ink on black (MNIST's own
    /// form) and dark ink on white give the same digit.
    @Test func eitherPolarityGivesTheSameDigit() throws {
        for i in 0..<10 {
            let clean = scan(i)
            let inverted = GrayImage(width: clean.width, height: clean.height, pixels: clean.pixels.map { 255 - $0 })
            #expect(try digit(inverted) == digit(clean), "digit \(i)")
        }
    }

    /// Thick marker on a tight crop: the ink covers more of the picture than the paper,
    /// and much of its edge. It is still the ink (the larger class was taken for paper,
    /// and the digit became the white gaps inside a frame): the digit comes out as it does
    /// from the same strokes with a margin of paper.
    @Test func heavyInkOnATightCropIsStillInk() throws {
        var heavy = 0
        for i in 0..<20 {
            let marked = thickened(scan(i, margin: 20), radius: 5)
            let crop = cropped(marked, toPixelsBelow: 200)
            let inkShare = Double(crop.pixels.filter { $0 < 128 }.count) / Double(crop.pixels.count)
            guard inkShare > 0.55 else { continue }
            heavy += 1
            #expect(InkMap.sides(crop).lightPaper, "digit \(i): \(Int(inkShare * 100))% ink")
            #expect(shiftedCorrelation(try digit(crop), try digit(marked)) > 0.9, "digit \(i): \(Int(inkShare * 100))% ink")
        }
        #expect(heavy >= 8, "only \(heavy) of the pictures are heavier in ink than in paper")
    }

    /// MNIST's own form, light ink on black, whole and cropped tightly: the heavy-ink
    /// exception never turns a whole digit into dark ink on light paper, and only rarely a
    /// tight crop (where the strokes reach the edge and can cut the black into pieces).
    @Test func lightInkOnBlackIsNotTakenForHeavyInk() {
        var turned = [Int]()
        for i in 0..<2000 {
            let whole = GrayImage(width: 28, height: 28, pixels: mnistDigit(i))
            #expect(!InkMap.sides(whole).lightPaper, "digit \(i)")
            let crop = cropped(GrayImage(width: 28, height: 28, pixels: whole.pixels.map { 255 - $0 }), toPixelsBelow: 200)
            let tight = GrayImage(width: crop.width, height: crop.height, pixels: crop.pixels.map { 255 - $0 })
            if PaperSide.isHeavyInk(tight) { turned.append(i) }
        }
        #expect(turned.count * 200 <= 2000, "\(turned.count) of 2,000 tight crops taken for heavy ink: \(turned.prefix(10))")
    }

    /// Dark strokes widened by `radius` (the darkest pixel of a square around each).
    func thickened(_ image: GrayImage, radius r: Int) -> GrayImage {
        var out = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                var v: UInt8 = 255
                for yy in max(0, y - r)...min(image.height - 1, y + r) {
                    for xx in max(0, x - r)...min(image.width - 1, x + r) { v = min(v, image[xx, yy]) }
                }
                out.pixels[y * image.width + x] = v
            }
        }
        return out
    }

    /// The box around every pixel darker than `level`.
    func cropped(_ image: GrayImage, toPixelsBelow level: UInt8) -> GrayImage {
        var x0 = image.width, y0 = image.height, x1 = -1, y1 = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] < level { x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y) }
        }
        var px = [UInt8]()
        for y in y0...y1 { for x in x0...x1 { px.append(image[x, y]) } }
        return GrayImage(width: x1 - x0 + 1, height: y1 - y0 + 1, pixels: px)
    }

    @Test func strokeWidthIsMeasured() {
        for width in [3, 6, 12] {
            var px = [UInt8](repeating: 255, count: 100 * 100)
            for y in 10..<90 { for x in 40..<(40 + width) { px[y * 100 + x] = 0 } }
            let measured = InkMap.sides(GrayImage(width: 100, height: 100, pixels: px)).strokeWidth
            #expect(abs(measured - Double(width)) <= 1.5, "a \(width)-pixel bar measured \(measured)")
        }
    }

    /// A 5's detached top is part of the digit; dust is not.
    @Test func specksAreLeftOutOfTheBox() {
        let w = 60, h = 60
        var mask = [Bool](repeating: false, count: w * h)
        for y in 20..<50 { for x in 20..<26 { mask[y * w + x] = true } }  // a stroke: 180 pixels
        for y in 12..<15 { for x in 20..<40 { mask[y * w + x] = true } }  // a detached bar: 60
        mask[2 * w + 55] = true  // dust
        mask[58 * w + 3] = true
        let box = Components.digitBox(mask, width: w, height: h)
        #expect(box?.x0 == 20 && box?.x1 == 39 && box?.y0 == 12 && box?.y1 == 49)
    }

    /// A picture larger than the analysis needs is shrunk first: the digit stays the same.
    @Test func aLargePictureGivesTheDigitItsSmallCopyGives() throws {
        let small = scan(4, scale: 20, margin: 40)  // 640 x 640
        var big = [UInt8](repeating: 0, count: (small.width * 4) * (small.height * 4))
        for y in 0..<(small.height * 4) {
            for x in 0..<(small.width * 4) { big[y * small.width * 4 + x] = small[x / 4, y / 4] }
        }
        let out = try digit(GrayImage(width: small.width * 4, height: small.height * 4, pixels: big))
        #expect(shiftedCorrelation(out, try digit(small)) > 0.98)
    }
}

/// The sliding minimum and maximum against their definition, for lines shorter and longer
/// than the window and windows moved inward at both ends.
@Suite struct SlidingWindowTests {
    @Test func slideEqualsTheWindowsMinimumAndMaximum() {
        var rng = SystemRandomNumberGenerator()
        for (w, h, r) in [(1, 1, 2), (7, 3, 1), (10, 9, 4), (23, 17, 5), (5, 40, 30), (600, 7, 2), (3, 2, 0)] {
            let a = (0..<(w * h)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for (keep, name) in [(min, "min"), (max, "max")] as [((UInt8, UInt8) -> UInt8, String)] {
                var got = a
                if name == "min" {
                    SlidingWindow.minimum(&got, width: w, height: h, radius: r)
                } else {
                    SlidingWindow.maximum(&got, width: w, height: h, radius: r)
                }
                for y in 0..<h {
                    for x in 0..<w {
                        // The window, 2r + 1 wide, moved inside the image (or all of it).
                        func span(_ i: Int, _ n: Int) -> ClosedRange<Int> {
                            n <= 2 * r + 1 ? 0...(n - 1) : min(max(0, i - r), n - 2 * r - 1)...(min(max(0, i - r), n - 2 * r - 1) + 2 * r)
                        }
                        var e = a[y * w + x]
                        for yy in span(y, h) {
                            for xx in span(x, w) { e = keep(e, a[yy * w + xx]) }
                        }
                        #expect(got[y * w + x] == e, "\(name) \(w)x\(h) r \(r) at (\(x), \(y))")
                    }
                }
            }
        }
    }

    /// Reconstruction by dilation against its definition: 3x3 dilations of the marker, each
    /// capped by the mask, until nothing changes.
    @Test func reconstructionEqualsRepeatedCappedDilation() {
        var rng = SystemRandomNumberGenerator()
        for (w, h) in [(1, 1), (9, 4), (16, 16), (31, 7)] {
            let mask = (0..<(w * h)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let marker = mask.map { UInt8.random(in: 0...$0, using: &rng) }
            var expected = marker
            while true {
                var next = expected
                for y in 0..<h {
                    for x in 0..<w {
                        var m = expected[y * w + x]
                        for yy in max(0, y - 1)...min(h - 1, y + 1) {
                            for xx in max(0, x - 1)...min(w - 1, x + 1) { m = max(m, expected[yy * w + xx]) }
                        }
                        next[y * w + x] = min(m, mask[y * w + x])
                    }
                }
                if next == expected { break }
                expected = next
            }
            var got = marker
            Reconstruction.byDilation(&got, under: mask, width: w, height: h)
            #expect(got == expected, "\(w)x\(h)")
        }
    }
}
