namespace HierReason.Core.Tasks.Gsm;

/// <summary>One age times a factor, minus a gap: a third person's age.</summary>
internal sealed class AgesMultiple : GsmTemplate
{
    public override string Id => "ages_multiple";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var a = p.Person("name_a");
        var b = p.Person("name_b");
        var c = p.Person("name_c");
        var age = p.Num("age", 2, 6 + 2 * p.Scale);
        var times = p.Num("times", 2, 4);
        var gap = p.Num("gap", 1, age * times - 1);
        p.Text.Append($"{a} is {age} years old. {b} is {times} times as old as {a}, and {c} is {gap} years younger than {b}. How old is {c}?");
        p.Unit = "years";
        var bAge = p.Step(b + "'s age", age, '*', times);
        p.Step(c + "'s age", bAge, '-', gap);
    }
}

/// <summary>An age, a gap and some years ahead: a future age.</summary>
internal sealed class AgesFuture : GsmTemplate
{
    public override string Id => "ages_future";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var a = p.Person("name_a");
        var b = p.Person("name_b");
        var age = p.Num("age", 2, 10 + 5 * p.Scale);
        var older = p.Num("older", 2, 10 + 3 * p.Scale);
        var years = p.Num("years", 2, 5 + 3 * p.Scale);
        p.Text.Append($"{a} is {age} years old, and {b} is {older} years older than {a}. How old will {b} be in {years} years?");
        p.Unit = "years";
        var now = p.Step(b + "'s age now", age, '+', older);
        p.Step(b + "'s age later", now, '+', years);
    }
}

/// <summary>Passengers off and on at two stops: how many are on the bus.</summary>
internal sealed class BusPassengers : GsmTemplate
{
    public override string Id => "bus_passengers";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var start = p.Scaled("start", 10, 30);
        var off1 = p.Num("off_first", 1, start - 1);
        var on1 = p.Scaled("on_first", 1, 12);
        var off2 = p.Num("off_second", 1, start - off1 + on1);
        p.Text.Append($"A bus leaves with {start} passengers. At the first stop {off1} get off and {on1} get on. At the second stop {off2} get off. How many passengers are on the bus now?");
        p.Unit = "passengers";
        var afterOff = p.Step("After first stop off", start, '-', off1);
        var afterOn = p.Step("After first stop on", afterOff, '+', on1);
        p.Step("After second stop", afterOn, '-', off2);
    }
}

/// <summary>Rows of plants, some of which fail: how many are left.</summary>
internal sealed class GardenRows : GsmTemplate
{
    public override string Id => "garden_rows";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var plant = p.Thing("plant", GsmWords.Plants);
        var rows = p.Scaled("rows", 2, 9);
        var perRow = p.Scaled("per_row", 2, 12);
        var lost = p.Num("lost", 1, rows * perRow - 1);
        p.Text.Append($"{name} plants {rows} rows of {plant.Many} with {perRow} in each row. Rabbits eat {lost} of them. How many {plant.Many} are left?");
        p.Unit = plant.Many;
        var planted = p.Step("Planted", rows, '*', perRow);
        p.Step("Left", planted, '-', lost);
    }
}

/// <summary>Boxes of packs of items: how many items in all.</summary>
internal sealed class PacksInBoxes : GsmTemplate
{
    public override string Id => "packs_in_boxes";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var thing = p.Thing("item", GsmWords.ShopItems);
        var boxes = p.Scaled("boxes", 2, 6);
        var packs = p.Num("packs", 2, 8);
        var each = p.Scaled("per_pack", 2, 10);
        p.Text.Append($"{name} buys {boxes} boxes. Each box holds {packs} packs, and each pack has {each} {thing.Many}. How many {thing.Many} does {name} buy?");
        p.Unit = thing.Many;
        var allPacks = p.Step("Packs", boxes, '*', packs);
        p.Step("Total", allPacks, '*', each);
    }
}

/// <summary>Stock sold on two days, then a delivery: the stock now.</summary>
internal sealed class ShopInventory : GsmTemplate
{
    public override string Id => "shop_inventory";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var thing = p.Thing("item", GsmWords.ShopItems);
        // The two days in week order, so the story runs forwards.
        var first = p.Rng.Int(0, GsmWords.Days.Length - 2);
        var day1 = p.Named("day_a", GsmWords.Days[first]);
        var day2 = p.Named("day_b", GsmWords.Days[p.Rng.Int(first + 1, GsmWords.Days.Length - 1)]);
        var stock = p.Scaled("stock", 20, 60);
        var sold1 = p.Num("sold_a", 1, stock / 2);
        var sold2 = p.Num("sold_b", 1, stock - sold1);
        var delivered = p.Scaled("delivered", 5, 40);
        p.Text.Append($"A shop has {stock} {thing.Many}. It sells {sold1} on {day1} and {sold2} on {day2}, then a delivery brings {delivered} more. How many {thing.Many} does the shop have now?");
        p.Unit = thing.Many;
        var left1 = p.Step("After " + day1, stock, '-', sold1);
        var left2 = p.Step("After " + day2, left1, '-', sold2);
        p.Step("After delivery", left2, '+', delivered);
    }
}

/// <summary>One person has some, another has more: how many together.</summary>
internal sealed class MoreThan : GsmTemplate
{
    public override string Id => "more_than";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var a = p.Person("name_a");
        var b = p.Person("name_b");
        var thing = p.Thing("item", GsmWords.Goods);
        var count = p.Scaled("count", 2, 20);
        var more = p.Scaled("more", 1, 15);
        p.Text.Append($"{a} has {count} {thing.Many}. {b} has {more} more {thing.Many} than {a}. How many {thing.Many} do they have together?");
        p.Unit = thing.Many;
        var bCount = p.Step(b + "'s " + thing.Many, count, '+', more);
        p.Step("Together", count, '+', bCount);
    }
}
