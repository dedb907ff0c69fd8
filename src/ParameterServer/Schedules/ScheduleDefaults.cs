namespace ParamServer.Server.Schedules;

/// <summary>Values that unset fields of a ScheduleSpec take (the plateau ones are PyTorch's ReduceLROnPlateau defaults).</summary>
public static class ScheduleDefaults
{
    /// <summary>Polynomial exponent when <c>power</c> is 0.</summary>
    public const double Power = 1.0;

    /// <summary>Multiplier of a plateau reduction when <c>plateau_factor</c> is 0.</summary>
    public const double PlateauFactor = 0.1;

    /// <summary>Reports without improvement tolerated when <c>plateau_patience</c> is unset.</summary>
    public const long PlateauPatience = 10;

    /// <summary>Improvement threshold when <c>plateau_threshold</c> is unset, in relative mode by default.</summary>
    public const double PlateauThreshold = 1e-4;

    /// <summary>Reports ignored after a reduction; <c>plateau_cooldown</c> is 0 unless set.</summary>
    public const long PlateauCooldown = 0;

    /// <summary>
    /// A reduction that would lower the rate by this much or less is skipped (PyTorch's eps of
    /// ReduceLROnPlateau), so a rate already at the minimum stops reporting reductions.
    /// </summary>
    public const double PlateauMinimumChange = 1e-8;
}
