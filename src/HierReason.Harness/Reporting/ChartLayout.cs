namespace HierReason.Harness.Reporting;

/// <summary>
/// A bar chart decided down to what is drawn: bars, their labels, ticks and legend, in data units (percent).
/// Built by <see cref="ChartBuilder"/>, drawn by <see cref="ChartRenderer"/>; tests read it instead of pixels.
/// </summary>
/// <param name="Title">The chart's title.</param>
/// <param name="XLabel">The x axis label (empty for none).</param>
/// <param name="YLabel">The y axis label.</param>
/// <param name="Bars">Every bar, left to right.</param>
/// <param name="Ticks">Labels under the x axis (model names, or task names for grouped charts).</param>
/// <param name="Legend">Series names in colour order; empty when the ticks already name the bars.</param>
/// <param name="Separators">x positions of dashed vertical lines (before the "Average" group).</param>
/// <param name="RotateTicks">Tick labels are too long to sit side by side and are drawn slanted.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="MarkerLabel">The legend entry of the bars' markers (<see cref="ChartBar.Marker"/>); null when no bar has one.</param>
/// <param name="Whiskers">What the whiskers show, drawn under the x axis ("whiskers: 95 % Wilson interval"); empty for none.</param>
public sealed record ChartLayout(
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<ChartBar> Bars,
    IReadOnlyList<ChartTick> Ticks,
    IReadOnlyList<string> Legend,
    IReadOnlyList<double> Separators,
    bool RotateTicks,
    int Width,
    int Height,
    string? MarkerLabel = null,
    string Whiskers = "")
{
    /// <summary>The y axis runs from 0 to this (room above 100 % for the value labels).</summary>
    public const double YTop = 110;
}

/// <summary>
/// One bar: position and width on x, value in percent with its whisker's reach below and above it (in percentage points,
/// apart because an interval near 0 % or 100 % is lopsided), the text above it, its colour's index, and optionally a marker
/// in percent drawn as a short horizontal line across the bar (the constant-answer accuracy of its cell: a bar that ends at
/// its marker is no better than always giving the most common gold answer).
/// </summary>
public sealed record ChartBar(double Position, double Width, double Value, double ErrorLow, double ErrorHigh, string ValueText, int Colour, double? Marker = null)
{
    /// <summary>The whisker's bottom, in percent.</summary>
    public double Low => Value - ErrorLow;

    /// <summary>The whisker's top, in percent.</summary>
    public double High => Value + ErrorHigh;
}

/// <summary>A label under the x axis.</summary>
public sealed record ChartTick(double Position, string Label);
