namespace ParamServer.Worker.Kernels;

/// <summary>Steps of one training step, as split by <see cref="KernelTimings"/>.</summary>
public enum KernelPhase
{
    CopyIn,
    DenseForward,
    BiasActivation,
    SoftmaxCrossEntropy,
    LossReduction,
    BiasGradient,
    DenseBackwardWeights,
    DenseBackwardInputs,
    CopyOut,
}
