/// Small closed word classes the rules need: general English, not tied to any answer.
enum WordLists {
    /// Words that say a person is meant ("he", "this woman").
    static let personCues: Set<String> = [
        "he", "she", "his", "her", "him", "himself", "herself", "hes", "shes", "man", "woman", "lady", "gentleman",
        "person", "guy", "boy", "girl", "whose",
        // relatives and roles: "this son of the 2nd president", "this composer of 'The Entertainer'"
        "son", "daughter", "wife", "husband", "widow", "father", "mother", "brother", "sister",
        "president", "king", "queen", "emperor", "empress", "pope", "prince", "princess", "general", "admiral",
        "author", "writer", "novelist", "poet", "playwright", "dramatist", "essayist", "journalist", "philosopher",
        "painter", "artist", "sculptor", "architect", "photographer", "composer", "pianist", "violinist",
        "conductor", "singer", "songwriter", "musician", "rapper", "actor", "actress", "comedian", "director",
        "dancer", "scientist", "physicist", "chemist", "biologist", "astronomer", "mathematician", "inventor",
        "explorer", "aviator", "astronaut", "economist", "psychologist", "physician", "surgeon", "nurse",
        "senator", "governor", "politician", "statesman", "chancellor", "minister", "premier", "dictator",
        "leader", "founder", "saint", "prophet", "apostle", "disciple", "pharaoh", "czar", "tsar", "monk",
        "nun", "priest", "bishop", "preacher", "reformer", "activist", "suffragist", "abolitionist", "outlaw",
        "pirate", "gangster", "athlete", "player", "pitcher", "quarterback", "boxer", "golfer", "champion",
        "coach", "designer", "chef", "host", "anchor", "tycoon", "industrialist", "entrepreneur", "magnate",
        "heiress", "heir", "spy", "assassin", "lawyer", "judge", "justice", "warrior", "soldier", "hero",
        "heroine", "villain", "character", "detective", "wizard", "witch", "magician",
    ]

    /// Personal pronouns: the clue is about a person whatever else it says.
    static let personalPronouns: Set<String> = ["he", "she", "his", "her", "him", "himself", "herself", "hes", "shes"]

    /// Honorifics that may stand before a surname (`Madame Curie`, `Dr. Johnson`).
    static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "madame", "mme", "madam", "monsieur", "dr", "doctor", "sir", "dame", "lady", "lord",
        "professor", "prof", "president", "general", "senator", "governor", "king", "queen", "saint", "st", "pope",
        "captain", "judge", "justice", "rev", "reverend", "father", "sister", "brother", "chief", "emperor", "empress",
        "prince", "princess", "count", "countess", "duke", "duchess", "baron", "baroness", "sultan", "czar", "tsar",
    ]

    /// Words that show doubt inside an answer ("Canberra, though it might be Sydney").
    static let doubtWords: Set<String> = ["might", "maybe", "perhaps", "possibly", "unless", "though", "although", "either", "probably"]

    /// Words that make a reply a sentence about the answer rather than a longer name of it:
    /// verbs of being and having, pronouns, negation ("The planet next to Mars is Jupiter.").
    static let sentenceWords: Set<String> = [
        "is", "are", "was", "were", "be", "been", "being", "am", "isnt", "wasnt", "arent", "has", "have", "had",
        "do", "does", "did", "i", "im", "ive", "id", "ill", "you", "we", "they", "it", "its", "itll", "my", "your", "our", "their",
        "never", "not", "no", "next", "would", "could", "should", "will", "can", "may", "might", "must", "there",
        "this", "that", "these", "those", "which", "who", "whom", "what", "because", "if", "than", "then",
    ]

    /// Words that name a son, heir or namesake after a name ("Dumas fils", "King Jr.").
    static let namesakeMarks: Set<String> = ["fils", "jr", "junior", "younger", "son", "ii", "iii", "iv", "2", "3", "4"]

    /// Phrases that join two candidates like "or" does.
    static let hedgeConnectors = [
        " though it might be ", " though it could be ", " but it might be ", " but it could be ", " but it may be ",
        " or maybe ", " or possibly ", " or perhaps ", " or probably ", " maybe ", " perhaps ", " possibly ", " versus ", " vs ",
    ]

    /// Words that put a relative of the answer in play, so a shared surname is ambiguous.
    static let kinWords: Set<String> = [
        "son", "daughter", "father", "mother", "brother", "sister", "wife", "husband", "widow", "widower",
        "grandson", "granddaughter", "grandfather", "grandmother", "nephew", "niece", "uncle", "aunt", "cousin",
        "sibling", "dad", "mom", "parent", "child", "namesake", "jr", "sr", "elder", "younger", "dynasty", "family",
        "sons", "daughters", "brothers", "sisters", "fathers", "relative",
    ]

    /// Titles and epithets that stop a name from having a plain surname (`Saint Patrick`, `Lady Gaga`).
    static let nameTitles: Set<String> = [
        "saint", "st", "king", "queen", "pope", "sir", "lord", "lady", "dr", "doctor", "president", "general",
        "mount", "mt", "prince", "princess", "emperor", "empress", "czar", "tsar", "sultan", "mr", "mrs", "ms",
        "miss", "captain", "uncle", "aunt", "father", "mother", "brother", "sister", "chief", "judge", "justice",
    ]

    /// Name particles that may be lowercase inside a name (`Otto von Bismarck`).
    static let nameParticles: Set<String> = ["von", "van", "de", "da", "der", "la", "le", "di", "du", "del", "bin", "al", "y", "of", "ibn", "mc", "st"]

    /// Suffixes after a surname.
    /// Words that make a name a family or group ("the Wright brothers", "the Brontë sisters").
    static let familyWords: Set<String> = ["brothers", "sisters", "twins", "family", "siblings"]

    /// Common English pet forms of given names (pet form → the names it stands for), for the
    /// ones that are not the name's first letters (those need no table: "Ben" for Benjamin).
    static let petNames: [String: Set<String>] = [
        "bill": ["william"], "billy": ["william"], "will": ["william"], "willie": ["william"],
        "bob": ["robert"], "bobby": ["robert"], "rob": ["robert"], "robbie": ["robert"],
        "dick": ["richard"], "rick": ["richard", "frederick"], "ricky": ["richard"], "rich": ["richard"],
        "jack": ["john"], "johnny": ["john"], "jim": ["james"], "jimmy": ["james"], "jamie": ["james"],
        "ted": ["edward", "theodore"], "teddy": ["edward", "theodore"], "ned": ["edward"], "eddie": ["edward"],
        "tom": ["thomas"], "tommy": ["thomas"], "tony": ["anthony"], "harry": ["henry", "harold"],
        "hank": ["henry"], "peggy": ["margaret"], "maggie": ["margaret"], "meg": ["margaret"],
        "betty": ["elizabeth"], "beth": ["elizabeth"], "liz": ["elizabeth"], "bess": ["elizabeth"],
        "kate": ["katherine", "catherine", "kathryn"], "kathy": ["katherine", "kathleen", "kathryn"],
        "sally": ["sarah"], "polly": ["mary"], "molly": ["mary"], "mike": ["michael"], "mickey": ["michael"],
        "chuck": ["charles"], "charlie": ["charles"], "dave": ["david"], "steve": ["stephen", "steven"],
        "larry": ["lawrence"], "jerry": ["gerald", "jerome"], "joe": ["joseph"], "andy": ["andrew"],
        "sandy": ["alexander", "sandra"], "nick": ["nicholas"], "pete": ["peter"], "sam": ["samuel"],
        "walt": ["walter"], "abe": ["abraham"], "ron": ["ronald"], "don": ["donald"],
        "gene": ["eugene"], "ray": ["raymond"], "al": ["albert", "alfred", "alan", "allen"],
    ]

    static let nameSuffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv", "2", "3", "4"]

    /// Generic head words that may be left out of a name (`the Mississippi` for the Mississippi
    /// River, `the Wrights` for the Wright brothers, `Yellowstone` for Yellowstone National Park).
    static let genericHeads: Set<String> = [
        "river", "national", "park", "mount", "mt", "mountain", "lake", "brother", "sister", "family", "company",
        "co", "inc", "corporation", "corp", "ltd", "city", "island", "isle", "ocean", "sea", "desert", "canal",
        "bay", "gulf", "strait", "cape", "fort", "county", "university", "college", "band", "group", "building",
        "tower", "bridge", "street", "avenue", "square", "palace", "cathedral", "church", "castle", "museum",
        "hotel", "airport", "station", "stadium", "theater", "theatre", "hall", "falls", "canyon", "valley",
        "peninsula", "archipelago", "plateau", "glacier", "volcano", "dam", "monument", "memorial", "abbey",
        "club", "society", "foundation", "institute", "restaurant", "store", "stores", "brand", "magazine",
        "newspaper", "airline", "airlines", "railroad", "railway", "team", "amendment",
    ]

    /// Head words of institutions, events and documents: a capitalised name ending in one is
    /// not a person's (`the Naval Academy`, `the Civil War`), so it has no "surname".
    static let nonPersonHeads: Set<String> = [
        "academy", "agency", "war", "wars", "treaty", "act", "amendment", "award", "awards", "prize", "party", "league",
        "association", "organization", "organisation", "bureau", "service", "administration", "commission", "council",
        "committee", "corps", "army", "navy", "force", "fund", "bank", "exchange", "department", "ministry", "office",
        "house", "center", "centre", "school", "institute", "museum", "gallery", "library", "festival", "revolution",
        "rebellion", "empire", "dynasty", "republic", "kingdom", "state", "states", "union", "day", "purchase",
        "declaration", "doctrine", "plan", "pact", "accord", "accords", "movement", "conference", "games", "cup",
        "series", "bowl", "open", "trophy", "symphony", "concerto", "sonata", "opera", "code",
    ]

    /// Modifiers whose loss changes the thing named (`Ireland` is not `Northern Ireland`).
    static let distinguishingModifiers: Set<String> = [
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "new", "old", "upper",
        "lower", "great", "little", "greater", "lesser", "central", "first", "second", "third", "1", "2", "3",
        "big", "small", "grand", "high", "low", "middle", "inner", "outer", "major", "minor",
    ]

    /// Words that hedge or qualify a candidate inside an "X or Y" answer.
    static let hedgeWords: Set<String> = ["either", "possibly", "perhaps", "maybe", "probably", "likely", "else", "or"]

    /// Function words left out when deciding whether an answer only restates the clue.
    static let stopwords: Set<String> = [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "this", "that",
        "these", "those", "is", "are", "was", "were", "be", "its", "it", "as", "who", "what", "which",
    ]

    /// Words for a kind of political unit, grouped so a reply's kind can contradict the clue's.
    static let stateWords: Set<String> = ["state", "province", "territory", "county", "commonwealth"]
    static let nationWords: Set<String> = ["nation", "country", "kingdom", "republic", "empire"]

    /// The country a place name or demonym belongs to, for spotting a false "more specific"
    /// answer (`Birmingham, Alabama` when the clue says "this English city").
    static let usStates: Set<String> = Set(usStateNames)
    private static let usStateNames = [
            "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
            "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland",
            "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada",
            "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia",
            "washington", "wisconsin", "wyoming", "carolina", "dakota",
    ]
    static let places: [String: String] = {
        var m: [String: String] = [:]
        let usStates = [
            "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
            "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland",
            "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada",
            "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia",
            "washington", "wisconsin", "wyoming", "carolina", "dakota", "american", "usa", "us",
        ]
        for s in usStates { m[s] = "us" }
        let countries: [String: [String]] = [
            "uk": ["england", "english", "britain", "british", "scotland", "scottish", "wales", "welsh", "uk"],
            "fr": ["france", "french"], "de": ["germany", "german"], "it": ["italy", "italian"],
            "es": ["spain", "spanish"], "ca": ["canada", "canadian"], "au": ["australia", "australian"],
            "mx": ["mexico", "mexican"], "ru": ["russia", "russian"], "cn": ["china", "chinese"],
            "jp": ["japan", "japanese"], "in": ["india", "indian"], "ie": ["ireland", "irish"],
            "nl": ["netherlands", "dutch", "holland"], "be": ["belgium", "belgian"], "ch": ["switzerland", "swiss"],
            "at": ["austria", "austrian"], "gr": ["greece", "greek"], "eg": ["egypt", "egyptian"],
            "br": ["brazil", "brazilian"], "ar": ["argentina", "argentine", "argentinian"], "pt": ["portugal", "portuguese"],
            "se": ["sweden", "swedish"], "no": ["norway", "norwegian"], "dk": ["denmark", "danish"],
            "pl": ["poland", "polish"], "tr": ["turkey", "turkish"], "il": ["israel", "israeli"],
            "nz": ["zealand"], "za": ["african"], "kr": ["korea", "korean"], "cu": ["cuba", "cuban"],
            "fi": ["finland", "finnish"], "hu": ["hungary", "hungarian"], "cz": ["czech"], "pe": ["peru", "peruvian"],
            "cl": ["chile", "chilean"], "co": ["colombia", "colombian"], "ve": ["venezuela", "venezuelan"],
            "ph": ["philippines", "filipino"], "vn": ["vietnam", "vietnamese"], "th": ["thailand", "thai"],
            "ir": ["iran", "iranian"], "iq": ["iraq", "iraqi"], "sa": ["saudi"], "ma": ["morocco", "moroccan"],
            "ke": ["kenya", "kenyan"], "ng": ["nigeria", "nigerian"], "ua": ["ukraine", "ukrainian"],
        ]
        for (code, names) in countries { for n in names { m[n] = code } }
        return m
    }()
}
