namespace SfCompanion.Emulator.DemoData;

/// <summary>An activity code of the French NAF rév. 2 nomenclature, with the Salesforce Industry picklist value it maps to.</summary>
/// <param name="Weight">Relative frequency among generated companies.</param>
/// <param name="SectorWords">Words that fit in a company name of this activity ("Logiciels", "Transports"...).</param>
public sealed record NafActivity(string Code, string Description, string Industry, int Weight, IReadOnlyList<string> SectorWords);

/// <summary>A French city with a few of its postal codes.</summary>
/// <param name="PhoneZone">First digit of landline numbers there (1 Île-de-France, 2 north-west, 3 north-east, 4 south-east, 5 south-west).</param>
/// <param name="Weight">Relative share of businesses located there.</param>
public sealed record FrenchCity(string Name, IReadOnlyList<string> PostalCodes, int PhoneZone, int Weight);

/// <summary>A job title in its masculine and feminine forms (identical for epicene titles such as "Responsable marketing").</summary>
public sealed record JobTitle(string Masculine, string Feminine, int Weight)
{
    public string For(bool feminine) => feminine ? Feminine : Masculine;
}

/// <summary>The French B2B reference tables the demo data generator draws from.</summary>
public static class FrenchReferenceData
{
    /// <summary>The activities of software publishers and integrators, the market of the demo's scoring routine.</summary>
    public static IReadOnlyList<string> SoftwareNafCodes { get; } = ["5829A", "5829B", "5829C", "6201Z", "6202A"];

    public static IReadOnlyList<NafActivity> NafActivities { get; } =
    [
        new("5829C", "Édition de logiciels applicatifs", "Technology", 70, ["Logiciels", "Software", "Solutions"]),
        new("6201Z", "Programmation informatique", "Technology", 70, ["Informatique", "Digital", "Développement"]),
        new("6202A", "Conseil en systèmes et logiciels informatiques", "Technology", 60, ["Conseil", "Consulting", "Systèmes"]),
        new("5829A", "Édition de logiciels système et de réseau", "Technology", 12, ["Logiciels", "Systèmes", "Réseaux"]),
        new("5829B", "Édition de logiciels outils de développement et de langages", "Technology", 8, ["Logiciels", "Labs"]),
        new("6202B", "Tierce maintenance de systèmes et d'applications informatiques", "Technology", 15, ["Services", "Maintenance"]),
        new("6203Z", "Gestion d'installations informatiques", "Technology", 10, ["Infogérance", "Services"]),
        new("6209Z", "Autres activités informatiques", "Technology", 25, ["Informatique", "Services"]),
        new("6311Z", "Traitement de données, hébergement et activités connexes", "Technology", 18, ["Cloud", "Data", "Hébergement"]),
        new("4651Z", "Commerce de gros d'ordinateurs, d'équipements informatiques et de logiciels", "Technology", 12, ["Distribution", "Informatique"]),
        new("6312Z", "Portails Internet", "Media", 6, ["Web", "Digital"]),
        new("5821Z", "Édition de jeux électroniques", "Entertainment", 5, ["Games", "Studio"]),
        new("6110Z", "Télécommunications filaires", "Telecommunications", 5, ["Télécom", "Réseaux"]),
        new("6120Z", "Télécommunications sans fil", "Telecommunications", 5, ["Télécom", "Mobile"]),
        new("7022Z", "Conseil pour les affaires et autres conseils de gestion", "Consulting", 40, ["Conseil", "Partners", "Stratégie"]),
        new("7320Z", "Études de marché et sondages", "Consulting", 6, ["Études", "Insights"]),
        new("6910Z", "Activités juridiques", "Consulting", 10, ["Avocats", "Juridique"]),
        new("7311Z", "Activités des agences de publicité", "Media", 15, ["Communication", "Agence", "Publicité"]),
        new("5911A", "Production de films et de programmes pour la télévision", "Entertainment", 4, ["Productions", "Films"]),
        new("7112B", "Ingénierie, études techniques", "Engineering", 25, ["Ingénierie", "Études", "Engineering"]),
        new("6419Z", "Autres intermédiations monétaires", "Banking", 6, ["Banque", "Finance"]),
        new("6630Z", "Gestion de fonds", "Finance", 5, ["Gestion", "Capital", "Finance"]),
        new("6920Z", "Activités comptables", "Finance", 20, ["Expertise", "Audit", "Comptabilité"]),
        new("6512Z", "Autres assurances", "Insurance", 5, ["Assurances", "Prévoyance"]),
        new("6622Z", "Activités des agents et courtiers d'assurances", "Insurance", 8, ["Assurances", "Courtage"]),
        new("4690Z", "Commerce de gros non spécialisé", "Retail", 15, ["Distribution", "Négoce"]),
        new("4711D", "Supermarchés", "Retail", 6, ["Distribution", "Market"]),
        new("4791A", "Vente à distance sur catalogue général", "Retail", 8, ["Shop", "Commerce", "Boutique"]),
        new("4941A", "Transports routiers de fret interurbains", "Transportation", 15, ["Transports", "Logistique"]),
        new("5210B", "Entreposage et stockage non frigorifique", "Shipping", 6, ["Logistique", "Stockage"]),
        new("5229A", "Messagerie, fret express", "Shipping", 6, ["Express", "Logistique"]),
        new("4120A", "Construction de maisons individuelles", "Construction", 10, ["Construction", "Habitat"]),
        new("4399C", "Travaux de maçonnerie générale et gros œuvre de bâtiment", "Construction", 14, ["Bâtiment", "BTP", "Construction"]),
        new("2511Z", "Fabrication de structures métalliques et de parties de structures", "Manufacturing", 8, ["Métallerie", "Industrie"]),
        new("2562B", "Mécanique industrielle", "Machinery", 12, ["Mécanique", "Industrie"]),
        new("2822Z", "Fabrication de matériel de levage et de manutention", "Machinery", 4, ["Manutention", "Industrie"]),
        new("2611Z", "Fabrication de composants électroniques", "Electronics", 6, ["Électronique", "Composants"]),
        new("2651B", "Fabrication d'instrumentation scientifique et technique", "Electronics", 5, ["Instruments", "Mesure"]),
        new("2014Z", "Fabrication d'autres produits chimiques organiques de base", "Chemicals", 3, ["Chimie", "Industrie"]),
        new("2120Z", "Fabrication de préparations pharmaceutiques", "Healthcare", 4, ["Pharma", "Laboratoires"]),
        new("7211Z", "Recherche-développement en biotechnologie", "Biotechnology", 5, ["Biotech", "Bio"]),
        new("8610Z", "Activités hospitalières", "Healthcare", 5, ["Santé", "Clinique"]),
        new("1071C", "Boulangerie et boulangerie-pâtisserie", "Food & Beverage", 6, ["Boulangerie", "Pâtisserie"]),
        new("1105Z", "Fabrication de bière", "Food & Beverage", 3, ["Brasserie", "Bières"]),
        new("5610A", "Restauration traditionnelle", "Hospitality", 6, ["Restauration", "Brasserie"]),
        new("5510Z", "Hôtels et hébergement similaire", "Hospitality", 5, ["Hôtels", "Résidences"]),
        new("8559A", "Formation continue d'adultes", "Education", 12, ["Formation", "Academy"]),
        new("8542Z", "Enseignement supérieur", "Education", 3, ["École", "Institut"]),
        new("3511Z", "Production d'électricité", "Energy", 4, ["Énergie", "Solaire"]),
        new("3600Z", "Captage, traitement et distribution d'eau", "Utilities", 2, ["Eaux", "Environnement"]),
        new("3821Z", "Traitement et élimination des déchets non dangereux", "Environmental", 3, ["Environnement", "Recyclage"]),
        new("0111Z", "Culture de céréales, de légumineuses et de graines oléagineuses", "Agriculture", 3, ["Agri", "Coopérative"]),
        new("1413Z", "Fabrication de vêtements de dessus", "Apparel", 3, ["Textile", "Mode"]),
        new("9311Z", "Gestion d'installations sportives", "Recreation", 3, ["Sport", "Loisirs"]),
        new("9499Z", "Autres organisations fonctionnant par adhésion volontaire", "Not For Profit", 5, ["Association", "Fédération"]),
        new("8411Z", "Administration publique générale", "Government", 3, ["Agglomération", "Collectivité"]),
        new("6820B", "Location de terrains et d'autres biens immobiliers", "Other", 6, ["Immobilier", "Patrimoine"]),
    ];

    public static IReadOnlyList<FrenchCity> Cities { get; } =
    [
        new("Paris", ["75001", "75002", "75008", "75009", "75010", "75011", "75012", "75013", "75015", "75016", "75017"], 1, 220),
        new("Boulogne-Billancourt", ["92100"], 1, 18),
        new("Issy-les-Moulineaux", ["92130"], 1, 14),
        new("Levallois-Perret", ["92300"], 1, 12),
        new("Courbevoie", ["92400"], 1, 14),
        new("Puteaux", ["92800"], 1, 10),
        new("Nanterre", ["92000"], 1, 10),
        new("Saint-Denis", ["93200", "93210"], 1, 8),
        new("Lyon", ["69001", "69002", "69003", "69006", "69007", "69009"], 4, 70),
        new("Villeurbanne", ["69100"], 4, 10),
        new("Marseille", ["13001", "13002", "13006", "13008", "13010"], 4, 45),
        new("Aix-en-Provence", ["13090", "13100"], 4, 14),
        new("Toulouse", ["31000", "31100", "31200", "31300", "31400", "31500"], 5, 45),
        new("Labège", ["31670"], 5, 5),
        new("Nantes", ["44000", "44100", "44200", "44300"], 2, 35),
        new("Lille", ["59000", "59160", "59800"], 3, 35),
        new("Villeneuve-d'Ascq", ["59650"], 3, 6),
        new("Bordeaux", ["33000", "33100", "33200", "33300", "33800"], 5, 35),
        new("Mérignac", ["33700"], 5, 6),
        new("Rennes", ["35000", "35200", "35700"], 2, 25),
        new("Strasbourg", ["67000", "67100", "67200"], 3, 25),
        new("Montpellier", ["34000", "34070", "34080", "34090"], 4, 25),
        new("Nice", ["06000", "06100", "06200", "06300"], 4, 20),
        new("Valbonne", ["06560"], 4, 6),
        new("Grenoble", ["38000", "38100"], 4, 20),
        new("Clermont-Ferrand", ["63000", "63100"], 4, 8),
        new("Dijon", ["21000"], 3, 7),
        new("Angers", ["49000", "49100"], 2, 8),
        new("Tours", ["37000", "37100"], 2, 8),
        new("Rouen", ["76000", "76100"], 2, 9),
        new("Reims", ["51100"], 3, 6),
        new("Le Mans", ["72000", "72100"], 2, 5),
        new("Brest", ["29200"], 2, 5),
        new("Metz", ["57000"], 3, 6),
        new("Nancy", ["54000"], 3, 6),
        new("Caen", ["14000"], 2, 6),
        new("Orléans", ["45000"], 2, 6),
        new("Limoges", ["87000"], 5, 4),
        new("Annecy", ["74000"], 4, 6),
        new("Toulon", ["83000"], 4, 5),
        new("Saint-Étienne", ["42000", "42100"], 4, 5),
        new("Poitiers", ["86000"], 5, 4),
        new("Pau", ["64000"], 5, 3),
        new("Amiens", ["80000"], 3, 4),
    ];

    public static IReadOnlyList<string> FeminineFirstNames { get; } =
    [
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Christine", "Valérie", "Sandrine", "Céline",
        "Stéphanie", "Aurélie", "Julie", "Émilie", "Laure", "Claire", "Anne", "Hélène", "Caroline", "Virginie",
        "Audrey", "Élodie", "Mélanie", "Laetitia", "Pauline", "Manon", "Léa", "Chloé", "Sarah", "Marine",
        "Justine", "Charlotte", "Lucie", "Inès", "Emma", "Clémence", "Agnès", "Béatrice", "Florence", "Véronique",
        "Patricia", "Martine", "Françoise", "Brigitte", "Delphine", "Karine", "Amandine", "Marion", "Anaïs", "Mathilde",
        "Juliette", "Margaux", "Alice", "Elsa", "Coralie", "Jeanne", "Nadia", "Fatima", "Yasmine", "Leïla",
    ];

    public static IReadOnlyList<string> MasculineFirstNames { get; } =
    [
        "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick", "Stéphane", "Laurent",
        "Frédéric", "Julien", "Sébastien", "David", "Thomas", "Éric", "Olivier", "Vincent", "François", "Jérôme",
        "Guillaume", "Antoine", "Maxime", "Alexandre", "Romain", "Mathieu", "Kévin", "Benoît", "Arnaud", "Thierry",
        "Bruno", "Didier", "Pascal", "Emmanuel", "Franck", "Cédric", "Fabrice", "Hugo", "Lucas", "Louis",
        "Paul", "Arthur", "Jules", "Baptiste", "Clément", "Quentin", "Adrien", "Florian", "Yann", "Loïc",
        "Gaël", "Karim", "Mehdi", "Sofiane", "Bernard", "Hervé", "Xavier", "Damien", "Benjamin", "Raphaël",
    ];

    /// <summary>Frequent French surnames, most frequent first (the generator draws the first ones more often).</summary>
    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
        "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
        "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
        "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
        "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
        "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
        "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
        "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
        "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
        "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
        "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
        "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet",
        "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
        "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
        "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez",
        "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva",
        "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret",
        "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
    ];

    /// <summary>Titles of the people companies employ (leads and contacts).</summary>
    public static IReadOnlyList<JobTitle> ProspectTitles { get; } =
    [
        new("Directeur général", "Directrice générale", 10),
        new("Président-directeur général", "Présidente-directrice générale", 4),
        new("Président", "Présidente", 3),
        new("Gérant", "Gérante", 6),
        new("Directeur commercial", "Directrice commerciale", 10),
        new("Directeur marketing", "Directrice marketing", 7),
        new("Directeur des systèmes d'information", "Directrice des systèmes d'information", 6),
        new("Directeur administratif et financier", "Directrice administrative et financière", 6),
        new("Directeur technique", "Directrice technique", 5),
        new("Directeur des ressources humaines", "Directrice des ressources humaines", 4),
        new("Responsable marketing", "Responsable marketing", 9),
        new("Responsable informatique", "Responsable informatique", 7),
        new("Responsable des achats", "Responsable des achats", 5),
        new("Responsable grands comptes", "Responsable grands comptes", 4),
        new("Chef de projet", "Cheffe de projet", 8),
        new("Chef de produit", "Cheffe de produit", 4),
        new("Développeur", "Développeuse", 8),
        new("Architecte logiciel", "Architecte logiciel", 3),
        new("Ingénieur commercial", "Ingénieure commerciale", 6),
        new("Ingénieur d'affaires", "Ingénieure d'affaires", 4),
        new("Chargé de communication", "Chargée de communication", 5),
        new("Chargé d'affaires", "Chargée d'affaires", 4),
        new("Acheteur", "Acheteuse", 4),
        new("Contrôleur de gestion", "Contrôleuse de gestion", 4),
        new("Comptable", "Comptable", 4),
        new("Assistant de direction", "Assistante de direction", 5),
        new("Consultant", "Consultante", 6),
        new("Technicien support", "Technicienne support", 3),
        new("Juriste", "Juriste", 2),
        new("Office manager", "Office manager", 2),
    ];

    /// <summary>Titles of the org's own sales reps.</summary>
    public static IReadOnlyList<JobTitle> SalesTitles { get; } =
    [
        new("Ingénieur commercial", "Ingénieure commerciale", 4),
        new("Chargé de clientèle", "Chargée de clientèle", 3),
        new("Responsable grands comptes", "Responsable grands comptes", 2),
        new("Business developer", "Business developer", 2),
    ];

    /// <summary>Titles of the org's own marketers.</summary>
    public static IReadOnlyList<JobTitle> MarketingTitles { get; } =
    [
        new("Chargé de marketing", "Chargée de marketing", 3),
        new("Responsable marketing", "Responsable marketing", 2),
        new("Chef de produit marketing", "Cheffe de produit marketing", 2),
    ];

    public static JobTitle SalesDirectorTitle { get; } = new("Directeur commercial", "Directrice commerciale", 1);

    public static bool IsFeminineFirstName(string firstName) => FeminineNameSet.Contains(firstName);

    private static readonly HashSet<string> FeminineNameSet = new(FeminineFirstNames, StringComparer.Ordinal);
}
