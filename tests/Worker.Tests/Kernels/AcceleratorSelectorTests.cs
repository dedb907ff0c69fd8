using Microsoft.Extensions.Logging;
using ParamServer.Worker.Kernels;

namespace ParamServer.Worker.Tests.Kernels;

public sealed class AcceleratorSelectorTests
{
    [Theory]
    [InlineData(null, AcceleratorPreference.Auto)]
    [InlineData("", AcceleratorPreference.Auto)]
    [InlineData("auto", AcceleratorPreference.Auto)]
    [InlineData("CUDA", AcceleratorPreference.Cuda)]
    [InlineData("OpenCL", AcceleratorPreference.OpenCL)]
    [InlineData(" cpu ", AcceleratorPreference.Cpu)]
    public void Parse_KnownNames_ReturnsPreference(string? value, AcceleratorPreference expected)
    {
        Assert.Equal(expected, AcceleratorPreferences.Parse(value));
    }

    [Fact]
    public void Parse_UnknownName_ThrowsQuotingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => AcceleratorPreferences.Parse("tpu"));

        Assert.Contains("Accelerator is 'tpu'; expected one of auto|cuda|opencl|cpu", error.Message);
    }

    [Fact]
    public void Create_Cpu_UsesRequestedThreadsAndLogsOnce()
    {
        var logger = new RecordingLogger();

        using ComputeDevice device = AcceleratorSelector.Create(AcceleratorPreference.Cpu, logger, cpuThreads: 4);

        Assert.True(device.IsCpuAccelerator);
        Assert.Equal(KernelPath.Cpu, device.Path);
        Assert.Equal(4, device.CpuThreads);
        Assert.Equal([5000], logger.EventIds);
    }

    [Fact]
    public void WorkSplit_Blocked_CoversItemsWithoutIdleThreads()
    {
        Assert.Equal(new WorkSplit(2, 5), WorkSplit.Blocked(10, 2));
        Assert.Equal(new WorkSplit(3, 1), WorkSplit.Blocked(3, 8));
        Assert.Equal(new WorkSplit(4, 2), WorkSplit.Blocked(7, 4));
        Assert.Equal(new WorkSplit(3, 3), WorkSplit.Blocked(9, 4));
        Assert.Equal(new WorkSplit(1, 1), WorkSplit.Blocked(0, 4));
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<int> EventIds { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                EventIds.Add(eventId.Id);
            }
        }
    }
}
