namespace HierReason.Core.Tasks.Gsm;

/// <summary>The names, things and settings the templates fill in, so the question space is wide.</summary>
internal static class GsmWords
{
    public static readonly string[] Names =
    [
        "Ava", "Ben", "Chloe", "Daniel", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kira", "Leo",
        "Maya", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xena",
        "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Dev", "Elena", "Felix", "Gina", "Hassan", "Ines", "Jonas",
        "Keiko", "Liam", "Mila", "Nina", "Omar", "Priya", "Ravi", "Sofia", "Theo", "Uma", "Victor", "Wen",
        "Yara", "Zane", "Amir", "Bella", "Carlos", "Dina", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Julia",
    ];

    /// <summary>Small things a shop sells by the piece.</summary>
    public static readonly GsmThing[] ShopItems =
    [
        new("pen", "pens"), new("pencil", "pencils"), new("notebook", "notebooks"), new("eraser", "erasers"),
        new("marker", "markers"), new("folder", "folders"), new("ruler", "rulers"), new("candle", "candles"),
        new("mug", "mugs"), new("sock", "socks"), new("towel", "towels"), new("comic", "comics"),
        new("balloon", "balloons"), new("postcard", "postcards"), new("keychain", "keychains"), new("bracelet", "bracelets"),
        new("plant pot", "plant pots"), new("magnet", "magnets"), new("paintbrush", "paintbrushes"), new("puzzle", "puzzles"),
    ];

    /// <summary>Things people collect, bake, pick or share.</summary>
    public static readonly GsmThing[] Goods =
    [
        new("apple", "apples"), new("orange", "oranges"), new("cookie", "cookies"), new("muffin", "muffins"),
        new("cupcake", "cupcakes"), new("banana", "bananas"), new("pear", "pears"), new("lemon", "lemons"),
        new("marble", "marbles"), new("sticker", "stickers"), new("card", "cards"), new("seashell", "seashells"),
        new("stamp", "stamps"), new("crayon", "crayons"), new("candy", "candies"), new("strawberry", "strawberries"),
        new("bead", "beads"), new("toy car", "toy cars"), new("peach", "peaches"), new("plum", "plums"),
    ];

    /// <summary>Things baked and sold in boxes.</summary>
    public static readonly GsmThing[] Baked =
    [
        new("cookie", "cookies"), new("muffin", "muffins"), new("cupcake", "cupcakes"), new("donut", "donuts"),
        new("bagel", "bagels"), new("croissant", "croissants"), new("brownie", "brownies"), new("scone", "scones"),
    ];

    /// <summary>What a gardener plants in rows.</summary>
    public static readonly GsmThing[] Plants =
    [
        new("tomato plant", "tomato plants"), new("rose bush", "rose bushes"), new("sunflower", "sunflowers"),
        new("carrot", "carrots"), new("cabbage", "cabbages"), new("pepper plant", "pepper plants"),
        new("tulip", "tulips"), new("bean plant", "bean plants"), new("apple tree", "apple trees"), new("onion", "onions"),
    ];

    /// <summary>Larger things bought whole, at a price in tens of dollars.</summary>
    public static readonly string[] BigItems =
    [
        "jacket", "bicycle", "lamp", "backpack", "guitar", "watch", "pair of shoes", "tent", "camera", "desk chair",
        "scooter", "blender", "coat", "suitcase", "printer", "skateboard",
    ];

    /// <summary>Small purchases, with their article, costing a few dollars.</summary>
    public static readonly string[] Treats =
    [
        "a sandwich", "a magazine", "a gift", "a movie ticket", "lunch", "a haircut", "a small plant", "a toy",
        "a bus pass", "a pizza", "a book of stamps", "paint",
    ];

    public static readonly string[] Places = ["zoo", "museum", "aquarium", "fair", "water park", "cinema", "circus", "science center"];

    public static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static readonly string[] Instruments = ["piano", "violin", "guitar", "drums", "flute", "cello", "trumpet"];

    public static readonly string[] Vehicles = ["train", "bus", "car", "truck", "boat", "van"];

    public static readonly string[] Rooms = ["class", "club", "camp", "choir", "team", "workshop"];

    public static readonly string[] Dishes = ["pancakes", "muffins", "cookies", "waffles", "rolls", "biscuits"];

    public static readonly string[] Ingredients = ["flour", "sugar", "milk", "oats", "water", "rice"];

    public static readonly string[] Settings = ["school", "camp", "club", "library", "gym", "choir"];

    public static readonly string[] Games = ["games", "matches", "rounds", "quizzes"];

    /// <summary>Coins by plural name with their value in cents.</summary>
    public static readonly (string Many, int Cents)[] Coins = [("pennies", 1), ("nickels", 5), ("dimes", 10), ("quarters", 25)];

    /// <summary>Who works at a steady rate, on what, per which unit of time.</summary>
    public static readonly (string Subject, string Verb, string VerbBase, string Things, string Unit, string Units)[] Rates =
    [
        ("A printer", "prints", "print", "pages", "minute", "minutes"),
        ("A baker", "bakes", "bake", "loaves", "hour", "hours"),
        ("A machine", "fills", "fill", "bottles", "minute", "minutes"),
        ("A factory", "builds", "build", "chairs", "day", "days"),
        ("A farmer", "picks", "pick", "melons", "hour", "hours"),
        ("A tailor", "sews", "sew", "shirts", "day", "days"),
        ("A robot", "packs", "pack", "boxes", "minute", "minutes"),
        ("A beekeeper", "collects", "collect", "jars of honey", "week", "weeks"),
        ("A hen house", "lays", "lay", "eggs", "day", "days"),
        ("A potter", "makes", "make", "bowls", "week", "weeks"),
    ];

    /// <summary>Ways to travel with a sensible speed range in km per hour.</summary>
    public static readonly (string Verb, int MinSpeed, int MaxSpeed)[] Travel =
    [
        ("walks", 3, 6), ("jogs", 6, 12), ("cycles", 10, 25), ("rows", 4, 8), ("drives", 40, 90), ("skates", 8, 15),
    ];
}
