/// Labels of training pictures beside the digits 0-9.
public enum TrainingLabel {
    /// A picture that is no single digit (two digits touching): its target is the uniform
    /// answer (outlier exposure, Hendrycks et al. 2019), so the network is unsure of what
    /// a number's reader should cut instead of reading it as one digit.
    public static let noDigit: UInt8 = 255
    /// Its loss's weight beside a digit's (1): 0.5, as in the PyTorch experiment that
    /// chose the method (benchmarks/digits/outlier_exposure.py).
    public static let noDigitWeight: Float = 0.5
}
