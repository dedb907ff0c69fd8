namespace ParamServer.Psctl.Charts;

/// <summary>One sample of a series: a value at a shard version (global step).</summary>
public readonly record struct ChartPoint(long Step, double Value);
