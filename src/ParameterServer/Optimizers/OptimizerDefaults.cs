namespace ParamServer.Server.Optimizers;

/// <summary>Values that unset optional fields of an OptimizerSpec take.</summary>
public static class OptimizerDefaults
{
    /// <summary>mu of classic momentum and beta of EMA momentum.</summary>
    public const double Momentum = 0.9;

    /// <summary>Dampening of classic momentum.</summary>
    public const double Dampening = 0.0;

    /// <summary>Decay of Adam's and AdamW's first moment.</summary>
    public const double Beta1 = 0.9;

    /// <summary>Decay of Adam's and AdamW's second moment.</summary>
    public const double Beta2 = 0.999;

    /// <summary>Decay of RMSprop's squared-gradient average (PyTorch calls it alpha).</summary>
    public const double Rho = 0.99;

    /// <summary>Denominator term of Adam, AdamW and RMSprop.</summary>
    public const double Epsilon = 1e-8;

    /// <summary>Denominator term of AdaGrad, as in PyTorch.</summary>
    public const double AdaGradEpsilon = 1e-10;

    /// <summary>
    /// Term added to the gradient norm before the clipping coefficient is taken, so a zero gradient does not divide
    /// by zero (the value PyTorch's clip_grad_norm_ uses).
    /// </summary>
    public const double ClipNormEpsilon = 1e-6;
}
