"""Name lists for synthetic people. Common names only; any likeness to a real person is chance."""

FIRST_NAMES = {
    # (sex, generation) -> names. Older people carry the names of their birth decades.
    ("female", "older"): [
        "Margaret", "Joan", "Dorothy", "Patricia", "Jean", "Barbara", "Sheila", "Betty", "Doreen",
        "Kathleen", "Irene", "Brenda", "Maureen", "Pauline", "Sylvia", "Eileen", "Valerie", "Shirley",
        "Audrey", "Marjorie", "Elsie", "Edna", "Rita", "Beryl", "Pamela", "June", "Janet", "Christine",
    ],
    ("male", "older"): [
        "John", "William", "Peter", "Brian", "David", "Michael", "Kenneth", "Robert", "Roy", "Dennis",
        "Ronald", "Derek", "Alan", "Keith", "Terence", "Raymond", "Geoffrey", "Colin", "Leonard",
        "Stanley", "Frederick", "Harold", "Norman", "Arthur", "Bernard", "Trevor", "Barry", "Graham",
    ],
    ("female", "younger"): [
        "Sarah", "Emma", "Laura", "Rebecca", "Claire", "Hannah", "Amy", "Rachel", "Lucy", "Jessica",
        "Gemma", "Kelly", "Natalie", "Victoria", "Charlotte", "Sophie", "Danielle", "Kirsty", "Leanne",
        "Joanne", "Helen", "Nicola", "Louise", "Amanda", "Zoe", "Chloe", "Megan", "Holly",
    ],
    ("male", "younger"): [
        "James", "Daniel", "Thomas", "Matthew", "Christopher", "Andrew", "Mark", "Paul", "Richard",
        "Stephen", "Lee", "Craig", "Darren", "Jamie", "Ryan", "Liam", "Adam", "Gareth", "Simon", "Neil",
        "Luke", "Jack", "Ben", "Sam", "Connor", "Callum", "Joshua", "Nathan",
    ],
}

FIRST_NAMES_BY_HERITAGE = {
    "south_asian": {
        "female": ["Priya", "Aisha", "Fatima", "Nasreen", "Shabana", "Anjali", "Sunita", "Rukhsana", "Parveen", "Kiran"],
        "male": ["Mohammed", "Imran", "Rajesh", "Arjun", "Tariq", "Sanjay", "Abdul", "Harjit", "Iqbal", "Vikram"],
    },
    "black": {
        "female": ["Abena", "Grace", "Blessing", "Comfort", "Marcia", "Beverley", "Adaeze", "Patience", "Yvonne", "Esther"],
        "male": ["Kwame", "Chidi", "Delroy", "Winston", "Emmanuel", "Samuel", "Tunde", "Leroy", "Kofi", "Desmond"],
    },
    "east_asian": {
        "female": ["Mei", "Li", "Xiu", "Hui", "Yan"],
        "male": ["Wei", "Jun", "Ming", "Hao", "Chen"],
    },
    "european": {
        "female": ["Katarzyna", "Agnieszka", "Ioana", "Maria", "Elena", "Anna", "Giulia"],
        "male": ["Piotr", "Tomasz", "Andrei", "Marek", "Luca", "Jan", "Pavel"],
    },
    "arab": {
        "female": ["Layla", "Mariam", "Huda", "Noor"],
        "male": ["Omar", "Ali", "Hassan", "Khalid"],
    },
}

LAST_NAMES = {
    "british": [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green",
        "Hall", "Lewis", "Harris", "Clarke", "Patterson", "Cooper", "Jackson", "Wood", "Turner", "Martin",
        "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
        "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
        "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
        "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
        "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
        "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
        "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    ],
    "irish": ["Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "O'Sullivan", "Walsh", "Doyle", "McCarthy", "Gallagher"],
    "south_asian": ["Patel", "Khan", "Begum", "Hussain", "Ahmed", "Singh", "Kaur", "Shah", "Iqbal", "Mahmood", "Sharma", "Rahman", "Chowdhury", "Mistry"],
    "black": ["Okafor", "Mensah", "Campbell", "Francis", "Adeyemi", "Boateng", "Thomas", "Brown", "Asante", "Williams", "Clarke", "Johnson"],
    "east_asian": ["Wang", "Li", "Zhang", "Chen", "Liu", "Wong", "Lam"],
    "european": ["Nowak", "Kowalski", "Popescu", "Rossi", "Novak", "Wiśniewski", "Ionescu", "Horvat"],
    "arab": ["Hassan", "Mahmoud", "Saleh", "Haddad", "Nasser"],
}

STREET_NAMES = [
    "Church", "Station", "Victoria", "Manor", "Park", "Queens", "Kings", "Mill", "Meadow", "Orchard",
    "Chapel", "School", "Grange", "Windsor", "Highfield", "Springfield", "Albert", "Willow", "Beech",
    "Oak", "Ash", "Elm", "Cedar", "Rowan", "Hawthorn", "Brook", "Riverside", "Castle", "Market", "Bridge",
    "Heath", "Moor", "Quarry", "Fountain", "Cherry", "Linden", "Marsh", "Hollow", "Kestrel", "Heron",
]
STREET_TYPES = ["Road", "Street", "Lane", "Close", "Avenue", "Drive", "Way", "Crescent", "Gardens", "Court"]
