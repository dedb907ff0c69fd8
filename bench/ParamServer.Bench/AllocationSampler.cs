using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ParamServer.Bench;

/// <summary>
/// Listens in process to the runtime's GCAllocationTick events, which the runtime raises about every 100 KB of
/// allocation with the type of the object that crossed the mark, and sums the sampled bytes per type and heap
/// (small or large object heap). A sampled profile: rare types may be missed, heavy ones dominate.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    // OnEventSourceCreated can run from the base constructor, before field initializers of this class.
    private ConcurrentDictionary<string, long>? _bytesByType;

    public AllocationSampler()
    {
        _bytesByType ??= new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
    }

    /// <summary>Sampled bytes per "type (heap)", largest first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Top(int count) =>
        (_bytesByType ?? new ConcurrentDictionary<string, long>()).OrderByDescending(p => p.Value).Take(count).ToList();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)
            || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        string type = PayloadOf(eventData, "TypeName") as string ?? "?";
        object? kind = PayloadOf(eventData, "AllocationKind");
        string heap = Convert.ToInt32(kind ?? 0) switch
        {
            1 => "LOH",
            2 => "POH",
            _ => "SOH",
        };
        long amount = Convert.ToInt64(PayloadOf(eventData, "AllocationAmount64") ?? PayloadOf(eventData, "AllocationAmount") ?? 0);
        _bytesByType ??= new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        _bytesByType.AddOrUpdate($"{type} ({heap})", amount, (_, sum) => sum + amount);
    }

    private static object? PayloadOf(EventWrittenEventArgs eventData, string name)
    {
        int index = eventData.PayloadNames!.IndexOf(name);
        return index >= 0 ? eventData.Payload![index] : null;
    }
}
