namespace HierReason.Core.Tasks.Gsm;

/// <summary>Buys several of one thing at a unit price and pays with a round amount: the change.</summary>
internal sealed class ShoppingChange : GsmTemplate
{
    public override string Id => "shopping_change";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var item = p.Thing("item", GsmWords.ShopItems);
        var count = p.Scaled("count", 2, 8);
        var price = p.Scaled("price", 1, 9);
        var paid = p.Shown("paid", NextMultipleAbove((long)count * price, 10) + 10 * p.Rng.Int(0, 2));
        p.Text.Append($"{name} buys {count} {item.Many} for ${price} each and pays with ${paid}. How much change, in dollars, does {name} get?");
        p.Unit = "dollars";
        var cost = p.Step("Cost", count, '*', price);
        p.Step("Change", paid, '-', cost);
    }
}

/// <summary>Two kinds of thing at two unit prices: the total spent.</summary>
internal sealed class MultiItemTotal : GsmTemplate
{
    public override string Id => "multi_item_total";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var a = p.Thing("item_a", GsmWords.ShopItems);
        var b = p.Thing("item_b", GsmWords.ShopItems);
        var countA = p.Scaled("count_a", 2, 6);
        var priceA = p.Scaled("price_a", 1, 9);
        var countB = p.Scaled("count_b", 2, 6);
        var priceB = p.Scaled("price_b", 1, 9);
        p.Text.Append($"{name} buys {countA} {a.Many} at ${priceA} each and {countB} {b.Many} at ${priceB} each. How many dollars does {name} spend in total?");
        p.Unit = "dollars";
        var costA = p.Step("Cost of " + a.Many, countA, '*', priceA);
        var costB = p.Step("Cost of " + b.Many, countB, '*', priceB);
        p.Step("Total", costA, '+', costB);
    }
}

/// <summary>A percentage off a round price: the sale price.</summary>
internal sealed class Discount : GsmTemplate
{
    public override string Id => "discount";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var item = p.Word("item", GsmWords.BigItems);
        // A price in twenties and a percentage in fives make the discount a whole number of dollars.
        var price = p.Shown("price", 20 * p.Rng.Int(1, 5 * p.Scale));
        var percent = p.Shown("percent", 5 * p.Rng.Int(1, 15));
        p.Text.Append($"A {item} costs ${price}. During a sale the store takes {percent}% off. What is the sale price in dollars?");
        p.Unit = "dollars";
        var hundredths = p.Step("Percent of price", price, '*', percent);
        var off = p.Step("Discount", hundredths, '/', 100);
        p.Step("Sale price", price, '-', off);
    }
}

/// <summary>Adult and child tickets paid with a round amount: the change.</summary>
internal sealed class TicketsChange : GsmTemplate
{
    public override string Id => "tickets_change";
    public override int Steps => 4;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var place = p.Word("place", GsmWords.Places);
        var adult = p.Scaled("adult_price", 6, 15);
        var child = p.Num("child_price", 2, adult - 1);
        var adults = p.Num("adults", 2, 4);
        var children = p.Scaled("children", 2, 5);
        var paid = p.Shown("paid", NextMultipleAbove((long)adults * adult + (long)children * child, 50));
        p.Text.Append($"At the {place}, adult tickets cost ${adult} and child tickets cost ${child}. {name} buys {adults} adult tickets and {children} child tickets and pays with ${paid}. How much change, in dollars, does {name} get?");
        p.Unit = "dollars";
        var adultCost = p.Step("Adult tickets", adults, '*', adult);
        var childCost = p.Step("Child tickets", children, '*', child);
        var total = p.Step("Total", adultCost, '+', childCost);
        p.Step("Change", paid, '-', total);
    }
}

/// <summary>Two kinds of coin: the value in cents (coin values are world knowledge, as in GSM8K).</summary>
internal sealed class CoinsValue : GsmTemplate
{
    public override string Id => "coins_value";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var first = p.Rng.Int(0, GsmWords.Coins.Length - 1);
        int second;
        do second = p.Rng.Int(0, GsmWords.Coins.Length - 1);
        while (second == first);
        var (coinA, centsA) = GsmWords.Coins[first];
        var (coinB, centsB) = GsmWords.Coins[second];
        p.Named("coin_a", coinA);
        p.Named("coin_b", coinB);
        var countA = p.Scaled("count_a", 2, 9);
        var countB = p.Scaled("count_b", 2, 9);
        p.Text.Append($"{name} has {countA} {coinA} and {countB} {coinB}. How many cents does {name} have?");
        p.Unit = "cents";
        var valueA = p.Step("Value of " + coinA, countA, '*', centsA);
        var valueB = p.Step("Value of " + coinB, countB, '*', centsB);
        p.Step("Total", valueA, '+', valueB);
    }
}

/// <summary>Spends a fixed amount, then half of what is left: the money left.</summary>
internal sealed class HalfRemaining : GsmTemplate
{
    public override string Id => "half_remaining";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var first = p.Word("first_buy", GsmWords.Treats);
        var spent = p.Scaled("spent", 2, 12);
        // What is left is even, so half of it is whole.
        var money = p.Shown("money", spent + 2L * p.Rng.Int(2, 20 * p.Scale));
        p.Text.Append($"{name} has ${money}. {name} spends ${spent} on {first}, then spends half of the money that is left on books. How many dollars does {name} have left?");
        p.Unit = "dollars";
        var left = p.Step("Left", money, '-', spent);
        p.Step("Half left", left, '/', 2);
    }
}

/// <summary>Savings from a starting amount plus a weekly amount: the total after some weeks.</summary>
internal sealed class SavingsWeeks : GsmTemplate
{
    public override string Id => "savings_weeks";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var start = p.Scaled("start", 5, 40);
        var weekly = p.Scaled("weekly", 2, 15);
        var weeks = p.Scaled("weeks", 2, 10);
        p.Text.Append($"{name} has ${start} in a piggy bank and saves ${weekly} every week. How many dollars will {name} have after {weeks} weeks?");
        p.Unit = "dollars";
        var saved = p.Step("Saved", weekly, '*', weeks);
        p.Step("Total", start, '+', saved);
    }
}

/// <summary>Saving towards a price at a weekly rate: how many weeks (exactly).</summary>
internal sealed class SavingsGoal : GsmTemplate
{
    public override string Id => "savings_goal";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var item = p.Word("item", GsmWords.BigItems);
        var have = p.Scaled("have", 5, 30);
        var weekly = p.Scaled("weekly", 2, 15);
        var cost = p.Shown("cost", have + (long)weekly * p.Rng.Int(2, 6 * p.Scale));
        p.Text.Append($"{name} wants a {item} that costs ${cost}. {name} has ${have} and saves ${weekly} each week. How many weeks will it take {name} to have exactly enough?");
        p.Unit = "weeks";
        var needed = p.Step("Still needed", cost, '-', have);
        p.Step("Weeks", needed, '/', weekly);
    }
}

/// <summary>Hourly pay over two days' hours: the earnings.</summary>
internal sealed class Wages : GsmTemplate
{
    public override string Id => "wages";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var rate = p.Scaled("hourly", 8, 20);
        var day1 = p.Word("day_a", GsmWords.Days);
        var day2 = p.Word("day_b", GsmWords.Days);
        var hoursA = p.Num("hours_a", 2, 9);
        var hoursB = p.Num("hours_b", 2, 9);
        p.Text.Append($"{name} earns ${rate} an hour. {name} works {hoursA} hours on {day1} and {hoursB} hours on {day2}. How many dollars does {name} earn on these two days?");
        p.Unit = "dollars";
        var hours = p.Step("Hours", hoursA, '+', hoursB);
        p.Step("Pay", hours, '*', rate);
    }
}

/// <summary>Days × hours × hourly pay plus a bonus: the weekly pay.</summary>
internal sealed class WeeklyPay : GsmTemplate
{
    public override string Id => "weekly_pay";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var days = p.Num("days", 2, 6);
        var hours = p.Num("hours", 2, 9);
        var rate = p.Scaled("hourly", 8, 20);
        var bonus = p.Scaled("bonus", 5, 50);
        p.Text.Append($"{name} works {days} days a week for {hours} hours a day and earns ${rate} an hour, plus a ${bonus} bonus each week. How many dollars does {name} earn in a week?");
        p.Unit = "dollars";
        var weekHours = p.Step("Hours", days, '*', hours);
        var pay = p.Step("Pay", weekHours, '*', rate);
        p.Step("With bonus", pay, '+', bonus);
    }
}
