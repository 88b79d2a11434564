namespace HierReason.Core.Tasks.Gsm;

/// <summary>Sharing a pile equally, exactly: how many each friend gets.</summary>
internal sealed class ShareEqually : GsmTemplate
{
    public override string Id => "share_equally";
    public override int Steps => 1;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var thing = p.Thing("item", GsmWords.Goods);
        var friends = p.Rng.Int(2, 3 + 3 * p.Scale);
        var total = p.Shown("total", (long)friends * p.Rng.Int(2, 10 * p.Scale));
        p.Shown("friends", friends);
        p.Text.Append($"{name} has {total} {thing.Many} and shares them equally among {friends} friends. How many {thing.Many} does each friend get?");
        p.Unit = thing.Many;
        p.Step("Each", total, '/', friends);
    }
}

/// <summary>Keeping some, then sharing the rest equally: how many each friend gets.</summary>
internal sealed class ShareAfterKeeping : GsmTemplate
{
    public override string Id => "share_after_keeping";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var thing = p.Thing("item", GsmWords.Goods);
        var kept = p.Rng.Int(2, 5 * p.Scale);
        var friends = p.Rng.Int(2, 2 + 2 * p.Scale);
        var total = p.Shown("total", kept + (long)friends * p.Rng.Int(2, 8 * p.Scale));
        p.Shown("kept", kept);
        p.Shown("friends", friends);
        p.Text.Append($"{name} has {total} {thing.Many}. {name} keeps {kept} and shares the rest equally among {friends} friends. How many {thing.Many} does each friend get?");
        p.Unit = thing.Many;
        var rest = p.Step("Rest", total, '-', kept);
        p.Step("Each", rest, '/', friends);
    }
}

/// <summary>Boys and girls split into equal groups: how many groups.</summary>
internal sealed class ClassroomGroups : GsmTemplate
{
    public override string Id => "classroom_groups";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var room = p.Word("room", GsmWords.Rooms);
        var size = p.Rng.Int(2, 6);
        var students = size * p.Rng.Int(2, 4 + 3 * p.Scale);
        var boys = p.Shown("boys", p.Rng.Int(1, students - 1));
        var girls = p.Shown("girls", students - boys);
        p.Shown("group_size", size);
        p.Text.Append($"A {room} has {boys} boys and {girls} girls. The teacher splits everyone into groups of {size}. How many groups are there?");
        p.Unit = "groups";
        var total = p.Step("Children", boys, '+', girls);
        p.Step("Groups", total, '/', size);
    }
}

/// <summary>Baked goods packed in boxes and sold by the box: the money made.</summary>
internal sealed class BoxesSold : GsmTemplate
{
    public override string Id => "boxes_sold";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var thing = p.Thing("item", GsmWords.Baked);
        var perBox = p.Rng.Int(2, 12);
        var made = p.Shown("made", (long)perBox * p.Rng.Int(2, 8 * p.Scale));
        p.Shown("per_box", perBox);
        var price = p.Scaled("box_price", 2, 10);
        p.Text.Append($"A baker makes {made} {thing.Many} and packs them in boxes of {perBox}. Each box sells for ${price}. How many dollars does the baker make by selling every box?");
        p.Unit = "dollars";
        var boxes = p.Step("Boxes", made, '/', perBox);
        p.Step("Money", boxes, '*', price);
    }
}

/// <summary>A recipe scaled up by a whole factor: the amount of one ingredient.</summary>
internal sealed class RecipeScaled : GsmTemplate
{
    public override string Id => "recipe_scaled";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var dish = p.Word("dish", GsmWords.Dishes);
        var ingredient = p.Word("ingredient", GsmWords.Ingredients);
        var serves = p.Num("serves", 2, 12);
        var cups = p.Num("cups", 2, 3 + p.Scale);
        var wanted = p.Shown("wanted", (long)serves * p.Rng.Int(2, 2 + 2 * p.Scale));
        p.Text.Append($"A recipe for {serves} {dish} needs {cups} cups of {ingredient}. How many cups of {ingredient} are needed for {wanted} {dish}?");
        p.Unit = "cups";
        var batches = p.Step("Batches", wanted, '/', serves);
        p.Step("Cups", cups, '*', batches);
    }
}

/// <summary>The mean of three scores whose sum is a multiple of three.</summary>
internal sealed class AverageScore : GsmTemplate
{
    public override string Id => "average_score";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var name = p.Person("name");
        var game = p.Thing("games", GsmWords.Games);
        var a = p.Scaled("score_a", 2, 30);
        var b = p.Scaled("score_b", 2, 30);
        var c = p.Rng.Int(2, 30 * p.Scale);
        c += (3 - (a + b + c) % 3) % 3;
        p.Shown("score_c", c);
        p.Text.Append($"{name} scored {a}, {b} and {c} points in three {game.Many}. What is the average number of points per {game.One}?");
        p.Unit = "points";
        var ab = p.Step("Sum", a, '+', b);
        var sum = p.Step("Sum", ab, '+', c);
        p.Step("Average", sum, '/', 3);
    }
}

/// <summary>A percentage of a round total: how many.</summary>
internal sealed class PercentOf : GsmTemplate
{
    public override string Id => "percent_of";
    public override int Steps => 2;

    public override void Compose(GsmProblem p)
    {
        var place = p.Word("setting", GsmWords.Settings);
        // A total in twenties and a percentage in fives give a whole count.
        var percent = p.Shown("percent", 5 * p.Rng.Int(1, 19));
        var total = p.Shown("total", 20 * p.Rng.Int(1, 5 * p.Scale));
        p.Text.Append($"{percent}% of the {total} members of a {place} wear glasses. How many members wear glasses?");
        p.Unit = "members";
        var hundredths = p.Step("Percent of total", total, '*', percent);
        p.Step("Wearing glasses", hundredths, '/', 100);
    }
}

/// <summary>A percentage of a stock is sold: how many are left.</summary>
internal sealed class PercentRemaining : GsmTemplate
{
    public override string Id => "percent_remaining";
    public override int Steps => 3;

    public override void Compose(GsmProblem p)
    {
        var thing = p.Thing("item", GsmWords.ShopItems);
        var total = p.Shown("total", 20 * p.Rng.Int(1, 5 * p.Scale));
        var percent = p.Shown("percent", 5 * p.Rng.Int(1, 19));
        p.Text.Append($"A shop has {total} {thing.Many}. It sells {percent}% of them. How many {thing.Many} are left?");
        p.Unit = thing.Many;
        var hundredths = p.Step("Percent of total", total, '*', percent);
        var sold = p.Step("Sold", hundredths, '/', 100);
        p.Step("Left", total, '-', sold);
    }
}
