/// Labels of training pictures beside the digits 0-9.
public enum TrainingLabel {
    /// A picture that is no single digit (two digits touching): its target is the uniform
    /// answer (outlier exposure, Hendrycks et al. 2019), so the network is unsure of what
    /// a number's reader should cut instead of reading it as one digit.
    public static let noDigit: UInt8 = 255
    /// Its loss's weight beside a digit's (1). 0.35, chosen on make_numbers.py's seeds 11 and
    /// 12 with models of seeds 1 and 2: at 0.5 (the PyTorch experiment's,
    /// benchmarks/digits/outlier_exposure.py) touching pairs read 2.5 points better but one
    /// of the two models answered a bold serif 8 as no digit (printed numbers 97.5-99%); at
    /// 0.25 touching pairs lost 4-6 points.
    public static let noDigitWeight: Float = 0.35
}
