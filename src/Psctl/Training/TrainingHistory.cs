using ParamServer.Psctl.Charts;

namespace ParamServer.Psctl.Training;

/// <summary>Training loss and test accuracy against the shard version, as sampled by the monitor.</summary>
public sealed class TrainingHistory
{
    private readonly List<ChartPoint> _loss = [];
    private readonly List<ChartPoint> _accuracy = [];
    private readonly object _lock = new();

    public IReadOnlyList<ChartPoint> Loss
    {
        get
        {
            lock (_lock)
            {
                return _loss.ToArray();
            }
        }
    }

    public IReadOnlyList<ChartPoint> Accuracy
    {
        get
        {
            lock (_lock)
            {
                return _accuracy.ToArray();
            }
        }
    }

    /// <summary>Adds a loss sample unless the version did not move since the last one or the loss is not finite.</summary>
    public void AddLoss(long version, double loss)
    {
        lock (_lock)
        {
            if (double.IsFinite(loss) && version > 0 && (_loss.Count == 0 || _loss[^1].Step < version))
            {
                _loss.Add(new ChartPoint(version, loss));
            }
        }
    }

    /// <summary>Adds an accuracy sample for an evaluated version not seen before.</summary>
    public void AddAccuracy(long version, double accuracy)
    {
        lock (_lock)
        {
            if (double.IsFinite(accuracy) && _accuracy.All(p => p.Step != version))
            {
                _accuracy.Add(new ChartPoint(version, accuracy));
            }
        }
    }
}
