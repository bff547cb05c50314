/// A small curated table of other names for the same thing, for the aliases WordNet does not
/// know (or knows under another spelling): city nicknames, institutions' acronyms, a country's
/// or city's current name beside its former one, other names of wars and events, and the best
/// known nicknames and birth names of people.
///
/// Source and licence: compiled by hand for jb from general knowledge (each line is a plain
/// fact of the form "X is also called Y"); no list, dataset or website was copied, and it is
/// distributed under the same terms as the rest of this repository. Only names of the *same*
/// thing belong here: a successor state (the Soviet Union and Russia), a part and its whole,
/// or a namesake never do. One group per line, names separated by ` = `.
enum AliasTable {
    static let text = """
    New York City = NYC = the Big Apple = New York, New York
    Chicago = the Windy City = Chi-Town
    New Orleans = the Big Easy = NOLA = the Crescent City
    Las Vegas = Vegas = Sin City
    Philadelphia = Philly = the City of Brotherly Love
    Boston = Beantown
    Nashville = Music City
    Detroit = the Motor City
    Denver = the Mile High City
    Seattle = the Emerald City
    Los Angeles = L.A. = the City of Angels
    San Francisco = SF = San Fran = the City by the Bay
    Washington, D.C. = D.C. = Washington, District of Columbia
    Paris = the City of Light
    Rome = the Eternal City = Roma
    Venice = Venezia = La Serenissima
    Florence = Firenze
    Naples = Napoli
    Munich = München
    Cologne = Köln
    Vienna = Wien
    Prague = Praha
    Lisbon = Lisboa
    Moscow = Moskva
    Copenhagen = København
    The Hague = Den Haag
    Mumbai = Bombay
    Chennai = Madras
    Kolkata = Calcutta
    Beijing = Peking
    Guangzhou = Canton
    Ho Chi Minh City = Saigon
    Istanbul = Constantinople
    St. Petersburg = Leningrad = Petrograd
    Jakarta = Batavia
    Tokyo = Edo
    Oslo = Christiania
    Myanmar = Burma
    Sri Lanka = Ceylon
    Democratic Republic of the Congo = DRC = Congo-Kinshasa = Zaire
    Thailand = Siam
    Cambodia = Kampuchea
    Benin = Dahomey
    Burkina Faso = Upper Volta
    Czech Republic = Czechia
    the Netherlands = Holland
    the United States = the United States of America = USA = U.S. = U.S.A. = America
    the United Kingdom = UK = U.K. = the United Kingdom of Great Britain and Northern Ireland
    the Soviet Union = USSR = U.S.S.R. = the Union of Soviet Socialist Republics
    the United Arab Emirates = UAE
    Texas = the Lone Star State
    California = the Golden State
    Florida = the Sunshine State
    Hawaii = the Aloha State
    Massachusetts = the Bay State
    New Jersey = the Garden State
    Pennsylvania = the Keystone State
    Missouri = the Show-Me State
    Montana = Big Sky Country
    Massachusetts Institute of Technology = MIT = M.I.T.
    University of California, Los Angeles = UCLA
    University of California, Berkeley = UC Berkeley
    University of Southern California = USC
    California Institute of Technology = Caltech
    Georgia Institute of Technology = Georgia Tech
    New York University = NYU
    London School of Economics = LSE = London School of Economics and Political Science
    United States Military Academy = U.S. Military Academy = West Point = USMA
    United States Naval Academy = U.S. Naval Academy = Naval Academy = Annapolis = USNA
    Louisiana State University = LSU
    Brigham Young University = BYU
    Pennsylvania State University = Penn State
    University of Mississippi = Ole Miss
    University of North Carolina = UNC
    Central Intelligence Agency = CIA
    Federal Bureau of Investigation = FBI
    National Security Agency = NSA
    Internal Revenue Service = IRS
    National Aeronautics and Space Administration = NASA
    Food and Drug Administration = FDA
    Environmental Protection Agency = EPA
    Federal Aviation Administration = FAA
    Federal Communications Commission = FCC
    Centers for Disease Control and Prevention = CDC = Centers for Disease Control
    Securities and Exchange Commission = SEC
    Drug Enforcement Administration = DEA
    North Atlantic Treaty Organization = NATO
    United Nations = UN = U.N.
    European Union = EU
    United Nations Children's Fund = UNICEF = United Nations International Children's Emergency Fund
    United Nations Educational, Scientific and Cultural Organization = UNESCO
    World Health Organization = WHO
    International Monetary Fund = IMF
    Organization of the Petroleum Exporting Countries = OPEC
    National Association for the Advancement of Colored People = NAACP
    American Civil Liberties Union = ACLU
    National Rifle Association = NRA
    National Football League = NFL
    National Basketball Association = NBA
    National Hockey League = NHL
    Major League Baseball = MLB
    National Collegiate Athletic Association = NCAA
    International Olympic Committee = IOC
    British Broadcasting Corporation = BBC
    Public Broadcasting Service = PBS
    National Public Radio = NPR
    New York Stock Exchange = NYSE
    International Business Machines = IBM
    General Electric = GE
    General Motors = GM
    American Telephone and Telegraph = AT&T
    Procter & Gamble = P&G
    Minnesota Mining and Manufacturing = 3M
    United Parcel Service = UPS
    Kentucky Fried Chicken = KFC
    Radio Corporation of America = RCA
    Hewlett-Packard = HP
    deoxyribonucleic acid = DNA
    ribonucleic acid = RNA
    KGB = Committee for State Security
    Palestine Liberation Organization = PLO
    World War I = WWI = the Great War = the First World War = World War One
    World War II = WWII = the Second World War = World War Two
    the American Civil War = the Civil War = the War Between the States
    the American Revolution = the Revolutionary War = the American Revolutionary War = the War of Independence = the American War of Independence
    V-E Day = Victory in Europe Day
    V-J Day = Victory over Japan Day
    the Gulf War = the Persian Gulf War = the First Gulf War = Operation Desert Storm
    the Holocaust = the Shoah
    the Boxer Rebellion = the Boxer Uprising
    the Reformation = the Protestant Reformation
    the Great Depression = the Depression
    Franklin Delano Roosevelt = FDR = Franklin D. Roosevelt = Franklin Roosevelt
    Theodore Roosevelt = Teddy Roosevelt = TR
    John F. Kennedy = JFK = John Fitzgerald Kennedy = Jack Kennedy
    Robert F. Kennedy = RFK = Bobby Kennedy
    Lyndon B. Johnson = LBJ = Lyndon Baines Johnson
    Martin Luther King Jr. = MLK = Martin Luther King = Dr. King
    Dwight D. Eisenhower = Ike = Dwight Eisenhower
    Abraham Lincoln = Abe Lincoln = Honest Abe
    Andrew Jackson = Old Hickory
    Mao Zedong = Mao Tse-tung = Chairman Mao
    Louis XIV = the Sun King
    Richard I = Richard the Lionheart = Richard Coeur de Lion
    Elizabeth I = the Virgin Queen = Good Queen Bess
    Ivan IV = Ivan the Terrible
    Catherine II = Catherine the Great
    Peter I = Peter the Great
    Charlemagne = Charles the Great
    Suleiman the Magnificent = Suleiman I
    William Shakespeare = the Bard = the Bard of Avon
    Babe Ruth = the Bambino = the Sultan of Swat = George Herman Ruth
    Louis Armstrong = Satchmo
    Frank Sinatra = Ol' Blue Eyes = the Chairman of the Board
    Michael Jackson = the King of Pop
    Elvis Presley = Elvis = the King of Rock and Roll
    Margaret Thatcher = the Iron Lady
    Mahatma Gandhi = Mohandas Gandhi = Mohandas Karamchand Gandhi = Mohandas K. Gandhi
    Muhammad Ali = Cassius Clay
    Kareem Abdul-Jabbar = Lew Alcindor
    Mark Twain = Samuel Clemens = Samuel Langhorne Clemens
    George Eliot = Mary Ann Evans
    Lewis Carroll = Charles Dodgson = Charles Lutwidge Dodgson
    Dr. Seuss = Theodor Geisel = Theodor Seuss Geisel
    O. Henry = William Sydney Porter
    Voltaire = François-Marie Arouet
    George Orwell = Eric Blair = Eric Arthur Blair
    Lady Gaga = Stefani Germanotta
    the Rock = Dwayne Johnson
    Bob Dylan = Robert Zimmerman
    Elton John = Reginald Dwight
    Freddie Mercury = Farrokh Bulsara
    Marilyn Monroe = Norma Jeane Baker = Norma Jean Baker
    John Wayne = Marion Morrison
    Cary Grant = Archibald Leach
    Malcolm X = Malcolm Little = El-Hajj Malik El-Shabazz
    Magic Johnson = Earvin Johnson
    Tiger Woods = Eldrick Woods
    Pelé = Edson Arantes do Nascimento
    Joan of Arc = Jeanne d'Arc = Saint Joan = the Maid of Orléans
    the Beatles = the Fab Four
    the New York Yankees = the Yankees = the Bronx Bombers
    the Boston Red Sox = the Red Sox = the BoSox
    the Chicago Cubs = the Cubs = the Cubbies
    the Dallas Cowboys = the Cowboys = America's Team
    the Montreal Canadiens = the Canadiens = the Habs
    the New York Knicks = the Knicks = the Knickerbockers = the New York Knickerbockers
    the Green Bay Packers = the Packers = the Pack
    the Toronto Maple Leafs = the Maple Leafs = the Leafs
    the Philadelphia Phillies = the Phillies = the Phils
    the Los Angeles Lakers = the Lakers = the L.A. Lakers
    the Harlem Globetrotters = the Globetrotters
    the Union Jack = the Union Flag
    the American flag = the Stars and Stripes = Old Glory
    the aurora borealis = the northern lights
    the aurora australis = the southern lights
    the Model T = the Tin Lizzie = the Ford Model T
    the Mona Lisa = La Gioconda = La Joconde
    the Academy Awards = the Oscars
    the Grammy Awards = the Grammys
    the Emmy Awards = the Emmys
    the Tony Awards = the Tonys
    the Statue of Liberty = Liberty Enlightening the World = Lady Liberty
    Mount Everest = Everest = Chomolungma = Sagarmatha
    Denali = Mount McKinley
    Uluru = Ayers Rock
    the Big Dipper = the Plough
    """

    /// Names that WordNet puts in one synset but a judge keeps apart: a state and the one that
    /// followed or preceded it, a part and its whole. One pair per line, ` ≠ ` between; a WordNet
    /// synonym that is such a pair is refused (the table's own groups never hold one).
    static let distinctText = """
    the Soviet Union ≠ Russia
    the USSR ≠ Russia
    the Union of Soviet Socialist Republics ≠ Russia
    Prussia ≠ Germany
    the Holy Roman Empire ≠ Germany
    the Ottoman Empire ≠ Turkey
    Yugoslavia ≠ Serbia
    Czechoslovakia ≠ the Czech Republic
    Austria-Hungary ≠ Austria
    England ≠ Great Britain
    England ≠ Britain
    England ≠ the United Kingdom
    """

    /// Phrase pairs that are never the same thing (both orders).
    static let distinct: Set<String> = {
        var pairs = Set<String>()
        for line in distinctText.split(separator: "\n") {
            let sides = line.components(separatedBy: " ≠ ")
            guard sides.count == 2 else { continue }
            let a = phrase(sides[0]), b = phrase(sides[1])
            pairs.insert(a + "|" + b)
            pairs.insert(b + "|" + a)
        }
        return pairs
    }()

    /// True when the two token lists (in `numeric` form) are a pair of `distinctText`.
    static func differ(_ a: [String], _ b: [String]) -> Bool {
        distinct.contains(a.joined(separator: "_") + "|" + b.joined(separator: "_"))
    }

    /// Phrase (tokens joined by `_`, articles dropped, numbers as digits) → the groups it is in.
    static let groups: [String: [Int]] = {
        var map: [String: [Int]] = [:]
        for (index, line) in text.split(separator: "\n").enumerated() {
            for name in line.components(separatedBy: " = ") {
                let key = phrase(name)
                guard !key.isEmpty else { continue }
                if !(map[key]?.contains(index) ?? false) { map[key, default: []].append(index) }
            }
        }
        return map
    }()

    /// The lookup key of a name.
    static func phrase(_ name: String) -> String {
        Text.canonicalNumbers(AnswerKey.dropArticleTokens(Text.tokenize(name))).joined(separator: "_")
    }

    /// True when the two token lists (already in `numeric` form) name one thing in the table.
    static func same(_ a: [String], _ b: [String]) -> Bool {
        guard !a.isEmpty, !b.isEmpty, let ga = groups[a.joined(separator: "_")], let gb = groups[b.joined(separator: "_")]
        else { return false }
        return ga.contains { gb.contains($0) }
    }
}
