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

    public static readonly GsmThing[] Games = [new("game", "games"), new("match", "matches"), new("round", "rounds"), new("quiz", "quizzes")];

    /// <summary>Coins by plural name with their value in cents.</summary>
    public static readonly (string Many, int Cents)[] Coins = [("pennies", 1), ("nickels", 5), ("dimes", 10), ("quarters", 25)];

    /// <summary>Who works at a steady rate (a noun taking "a"/"the"), on what, per which unit of time.</summary>
    public static readonly (string Subject, string Verb, string VerbBase, string Things, string Unit, string Units)[] Rates =
    [
        ("printer", "prints", "print", "pages", "minute", "minutes"),
        ("baker", "bakes", "bake", "loaves", "hour", "hours"),
        ("machine", "fills", "fill", "bottles", "minute", "minutes"),
        ("factory", "builds", "build", "chairs", "day", "days"),
        ("farmer", "picks", "pick", "melons", "hour", "hours"),
        ("tailor", "sews", "sew", "shirts", "day", "days"),
        ("robot", "packs", "pack", "boxes", "minute", "minutes"),
        ("beekeeper", "collects", "collect", "jars of honey", "week", "weeks"),
        ("hen house", "lays", "lay", "eggs", "day", "days"),
        ("potter", "makes", "make", "bowls", "week", "weeks"),
    ];

    /// <summary>Ways to travel with a sensible speed range in km per hour.</summary>
    public static readonly (string Verb, int MinSpeed, int MaxSpeed)[] Travel =
    [
        ("walks", 3, 6), ("jogs", 6, 12), ("cycles", 10, 25), ("rows", 4, 8), ("drives", 40, 90), ("skates", 8, 15),
    ];
}
