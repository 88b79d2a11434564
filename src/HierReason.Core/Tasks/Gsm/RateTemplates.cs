namespace HierReason.Core.Tasks.Gsm;

/// <summary>A steady rate for some time: how many things are made.</summary>
internal sealed class RateTime : GsmTemplate
{
    public override string Id => "rate_time";
    public override int Steps => 1;

    public override void Compose(GsmProblem p)
    {
        var (subject, verb, verbBase, things, unit, units) = GsmWords.Rates[p.Rng.Int(0, GsmWords.Rates.Length - 1)];
        p.Named("worker", subject);
        var rate = p.Scaled("rate", 2, 12);
        var time = p.Scaled("time", 2, 9);
        p.Text.Append($"A {subject} {verb} {rate} {things} every {unit}. How many {things} does the {subject} {verbBase} in {time} {units}?");
        p.Unit = things;
        p.Step("Total", rate, '*', time);
    }
}

/// <summary>Speed × time: the distance.</summary>
internal sealed class SpeedDistance : GsmTemplate
{
    public override string Id => "speed_distance";
    public override int Steps => 1;

    public override void Compose(GsmProblem p)
    {
        var vehicle = p.Word("vehicle", GsmWords.Vehicles);
        var speed = p.Num("speed", 20, 40 + 10 * p.Scale);
        var hours = p.Num("hours", 2, 2 + 2 * p.Scale);
        p.Text.Append($"A {vehicle} travels at {speed} km per hour. How many km does it travel in {hours} hours?");
        p.Unit = "km";
        p.Step("Distance", speed, '*', hours);
    }
}

/// <summary>Distance ÷ speed, exact: the hours a trip takes.</summary>
internal sealed class SpeedTime : GsmTemplate
{
    public override string Id => "speed_time";
    public override int Steps => 1;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var (verb, minSpeed, maxSpeed) = GsmWords.Travel[p.Rng.Int(0, GsmWords.Travel.Length - 1)];
        p.Named("verb", verb);
        var speed = p.Rng.Int(minSpeed, maxSpeed);
        var distance = p.Shown("distance", (long)speed * p.Rng.Int(2, 3 + 2 * p.Scale));
        p.Shown("speed", speed);
        p.Text.Append($"{name} {verb} {distance} km at a steady {speed} km per hour. How many hours does it take?");
        p.Unit = "hours";
        p.Step("Hours", distance, '/', speed);
    }
}

/// <summary>Filling a tank from a starting level at a steady flow: the minutes (exactly).</summary>
internal sealed class TankFill : GsmTemplate
{
    public override string Id => "tank_fill";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var start = p.Scaled("start", 5, 40);
        var flow = p.Scaled("flow", 2, 12);
        var capacity = p.Shown("capacity", start + (long)flow * p.Rng.Int(2, 10 * p.Scale));
        p.Text.Append($"A tank holds {capacity} liters and already has {start} liters in it. A hose adds {flow} liters every minute. How many minutes until the tank is full?");
        p.Unit = "minutes";
        var missing = p.Step("Missing", capacity, '-', start);
        p.Step("Minutes", missing, '/', flow);
    }
}

/// <summary>Minutes of practice a day over some days, converted to whole hours.</summary>
internal sealed class PracticeHours : GsmTemplate
{
    private static readonly int[] MinutesPerDay = [10, 12, 15, 20, 30, 40, 45, 60, 90];

    public override string Id => "practice_hours";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var instrument = p.Word("instrument", GsmWords.Instruments);
        var minutes = p.Shown("minutes", MinutesPerDay[p.Rng.Int(0, MinutesPerDay.Length - 1)]);
        // The day count is a multiple of 60 / gcd(minutes, 60), so the total is whole hours.
        var period = 60 / Gcd(minutes, 60);
        var days = p.Shown("days", period * p.Rng.Int(period == 1 ? 2 : 1, 2 * p.Scale + (period <= 2 ? 6 : 1)));
        p.Text.Append($"{name} practices the {instrument} for {minutes} minutes every day. How many hours does {name} practice in {days} days?");
        p.Unit = "hours";
        var total = p.Step("Minutes", minutes, '*', days);
        p.Step("Hours", total, '/', 60);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}

/// <summary>Reading a fixed number of pages a day: the pages left in the book.</summary>
internal sealed class PagesLeft : GsmTemplate
{
    public override string Id => "pages_left";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var perDay = p.Scaled("per_day", 5, 20);
        var days = p.Num("days", 2, 7);
        var pages = p.Shown("pages", (long)perDay * days + p.Rng.Int(1, 50 * p.Scale));
        p.Text.Append($"A book has {pages} pages. {name} reads {perDay} pages a day for {days} days. How many pages are left to read?");
        p.Unit = "pages";
        var read = p.Step("Read", perDay, '*', days);
        p.Step("Left", pages, '-', read);
    }
}
