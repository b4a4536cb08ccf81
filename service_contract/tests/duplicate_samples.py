# ruff: noqa: E501 (the reports are kept one sentence a line)
"""A labelled set of ticket texts for measuring duplicate detection.

``FAMILIES``: each is one incident reported several ways: the first report
(title, description), a rewording, and a report in another language of the
product's customers. Typing errors are made from the first report by
``with_typos``. ``UNRELATED``: requests that are no family's duplicate."""

FAMILIES = [
    (
        (
            "HP LaserJet M404 on the 3rd floor jams paper",
            "The printer near the kitchen jams on every page, tray 2.",
        ),
        (
            "Paper jam again in the HP LaserJet M404, third floor",
            "Third floor printer keeps jamming, tray 2 stuck.",
        ),
        (
            "es",
            "La HP LaserJet M404 del tercer piso atasca el papel",
            "La impresora de la cocina se atasca en cada hoja, bandeja 2.",
        ),
    ),
    (
        (
            "VPN disconnects every 10 minutes",
            "FortiClient VPN drops the connection every ten minutes from home.",
        ),
        (
            "FortiClient VPN keeps dropping",
            "Working from home, the VPN connection drops all the time.",
        ),
        (
            "pl",
            "VPN FortiClient rozłącza się co 10 minut",
            "Połączenie VPN z domu zrywa się co dziesięć minut.",
        ),
    ),
    (
        (
            "Outlook does not sync the shared mailbox",
            "The shared mailbox info@ is not syncing in Outlook since Monday.",
        ),
        (
            "Shared mailbox info@ stopped syncing in Outlook",
            "No new mails in the info@ shared mailbox in Outlook.",
        ),
        (
            "ru",
            "Outlook не синхронизирует общий ящик info@",
            "Общий почтовый ящик info@ не синхронизируется в Outlook с понедельника.",
        ),
    ),
    (
        (
            "SAP login fails with error SNC-1002",
            "Users cannot log in to SAP GUI, error SNC-1002 after the update.",
        ),
        (
            "Error SNC-1002 when logging in to SAP GUI",
            "Since this morning nobody can log in to SAP, SNC-1002.",
        ),
        (
            "it",
            "Accesso a SAP non riesce con errore SNC-1002",
            "Gli utenti non riescono ad accedere a SAP GUI, errore SNC-1002.",
        ),
    ),
    (
        (
            "Chiller Carrier 30RB alarm high pressure",
            "The Carrier 30RB chiller on the roof shows a high pressure alarm.",
        ),
        (
            "High pressure alarm on the roof chiller Carrier 30RB",
            "Roof chiller 30RB stopped with a high pressure fault.",
        ),
        (
            "es",
            "Alarma de alta presión en la enfriadora Carrier 30RB",
            "La enfriadora Carrier 30RB de la azotea muestra alarma de alta presión.",
        ),
    ),
    (
        (
            "Wi-Fi in meeting room Orion is very slow",
            "The wireless network in the Orion meeting room is extremely slow.",
        ),
        (
            "Orion meeting room: Wi-Fi barely works",
            "Guests in meeting room Orion cannot load pages on the Wi-Fi.",
        ),
        (
            "pl",
            "Wi-Fi w sali Orion działa bardzo wolno",
            "Sieć bezprzewodowa w sali konferencyjnej Orion jest bardzo wolna.",
        ),
    ),
    (
        (
            "Elevator B stuck between floors 4 and 5",
            "Elevator B in building North stopped between floor 4 and 5.",
        ),
        (
            "Lift B blocked between 4th and 5th floor",
            "The B elevator of the North building is blocked between floors.",
        ),
        (
            "ru",
            "Лифт B застрял между 4 и 5 этажами",
            "Лифт B в северном корпусе остановился между 4 и 5 этажом.",
        ),
    ),
    (
        (
            "Server SRV-DB01 disk C is full",
            "SRV-DB01 has no free space left on drive C, backups fail.",
        ),
        (
            "Drive C full on SRV-DB01, backups failing",
            "The SRV-DB01 database server ran out of disk space.",
        ),
        (
            "it",
            "Disco C pieno sul server SRV-DB01",
            "Il server SRV-DB01 non ha più spazio sul disco C, i backup falliscono.",
        ),
    ),
    (
        (
            "Air conditioning leaking water in room 214",
            "The AC unit above the door of room 214 is dripping water.",
        ),
        (
            "Water dripping from the AC in room 214",
            "Room 214 air conditioner leaks onto the floor.",
        ),
        (
            "es",
            "El aire acondicionado de la sala 214 gotea agua",
            "La unidad de aire acondicionado de la sala 214 pierde agua.",
        ),
    ),
    (
        (
            "Teams calls drop audio after a few minutes",
            "In Microsoft Teams meetings the audio cuts out after 2-3 minutes.",
        ),
        (
            "Microsoft Teams audio cutting out in meetings",
            "Teams meeting audio disappears after a few minutes.",
        ),
        (
            "pl",
            "Teams: dźwięk znika po kilku minutach rozmowy",
            "W spotkaniach Microsoft Teams dźwięk przerywa się po 2-3 minutach.",
        ),
    ),
    (
        (
            "Forklift Linde H25 will not start",
            "The Linde H25 forklift in warehouse 2 does not start, battery ok.",
        ),
        (
            "Linde H25 forklift dead in warehouse 2",
            "Forklift H25 in warehouse 2 won't turn on.",
        ),
        (
            "ru",
            "Погрузчик Linde H25 не заводится",
            "Погрузчик Linde H25 на складе 2 не запускается, аккумулятор в порядке.",
        ),
    ),
    (
        (
            "Password reset for the ERP does not send the email",
            "Clicking 'forgot password' in the ERP never sends the reset email.",
        ),
        (
            "ERP forgot password email never arrives",
            "The ERP reset password mail is not received by users.",
        ),
        (
            "it",
            "Il reset della password dell'ERP non invia l'email",
            "Cliccando 'password dimenticata' nell'ERP l'email non arriva mai.",
        ),
    ),
    (
        (
            "Badge reader at the main entrance is offline",
            "The access control badge reader at the main entrance shows offline.",
        ),
        (
            "Main entrance badge reader not working",
            "Cannot badge in at the main entrance, reader offline.",
        ),
        (
            "es",
            "El lector de tarjetas de la entrada principal está fuera de línea",
            "El lector de acceso de la entrada principal aparece offline.",
        ),
    ),
    (
        (
            "Boiler Viessmann Vitodens error F4",
            "The Viessmann Vitodens boiler in the basement shows error F4, no heating.",
        ),
        (
            "No heating, Vitodens boiler error F4",
            "Basement boiler Viessmann stopped with fault F4.",
        ),
        (
            "pl",
            "Kocioł Viessmann Vitodens błąd F4",
            "Kocioł Viessmann Vitodens w piwnicy pokazuje błąd F4, brak ogrzewania.",
        ),
    ),
    (
        (
            "Website checkout returns error 500",
            "Customers get an error 500 on the webshop checkout page.",
        ),
        (
            "Webshop checkout page crashes with 500",
            "The checkout of the web shop fails with HTTP 500.",
        ),
        (
            "ru",
            "Оформление заказа на сайте выдаёт ошибку 500",
            "Покупатели получают ошибку 500 на странице оформления заказа в webshop.",
        ),
    ),
    (
        (
            "Conveyor belt line 3 makes a grinding noise",
            "Conveyor line 3 in the packing hall makes a loud grinding noise.",
        ),
        (
            "Loud grinding from conveyor on line 3",
            "Packing hall conveyor belt line 3 is grinding.",
        ),
        (
            "it",
            "Il nastro trasportatore della linea 3 fa un rumore di sfregamento",
            "Il nastro della linea 3 nel reparto imballaggio fa un forte rumore.",
        ),
    ),
    (
        (
            "Laptop screen flickers Dell Latitude 5420",
            "My Dell Latitude 5420 screen flickers when I move the lid.",
        ),
        (
            "Dell Latitude 5420 display flickering",
            "The display of the Latitude 5420 flickers constantly.",
        ),
        (
            "es",
            "La pantalla del portátil Dell Latitude 5420 parpadea",
            "La pantalla de mi Dell Latitude 5420 parpadea al mover la tapa.",
        ),
    ),
    (
        (
            "Backup job NAS-02 failed last night",
            "The nightly Veeam backup job to NAS-02 failed with a timeout.",
        ),
        (
            "Veeam nightly backup to NAS-02 failed",
            "Last night's backup on NAS-02 ended in error, timeout.",
        ),
        (
            "pl",
            "Nocna kopia zapasowa na NAS-02 nie powiodła się",
            "Zadanie Veeam na NAS-02 zakończyło się błędem timeout.",
        ),
    ),
    (
        (
            "Emergency lighting test failed in stairwell C",
            "During the monthly test the emergency lights in stairwell C did not turn on.",
        ),
        (
            "Stairwell C emergency lights not working",
            "Monthly emergency lighting check: stairwell C lights stay off.",
        ),
        (
            "ru",
            "Аварийное освещение на лестнице C не работает",
            "При ежемесячной проверке аварийные светильники на лестнице C не включились.",
        ),
    ),
    (
        (
            "Scanner Fujitsu fi-7160 not detected",
            "The Fujitsu fi-7160 scanner at reception is not detected by the PC.",
        ),
        (
            "Reception PC does not see the Fujitsu fi-7160",
            "fi-7160 scanner at the reception is not recognised.",
        ),
        (
            "it",
            "Lo scanner Fujitsu fi-7160 non viene rilevato",
            "Lo scanner Fujitsu fi-7160 della reception non è rilevato dal PC.",
        ),
    ),
    (
        (
            "Phone extension 2301 has no dial tone",
            "The desk phone with extension 2301 has no dial tone since this morning.",
        ),
        (
            "No dial tone on extension 2301",
            "Desk phone 2301 is silent, cannot make calls.",
        ),
        (
            "es",
            "La extensión 2301 no tiene tono de marcado",
            "El teléfono de la extensión 2301 no da tono desde esta mañana.",
        ),
    ),
    (
        (
            "Compressor Atlas Copco GA30 overheating",
            "The Atlas Copco GA30 air compressor trips on high temperature.",
        ),
        (
            "GA30 compressor trips on temperature",
            "Atlas Copco GA30 keeps shutting down, overheating.",
        ),
        (
            "pl",
            "Sprężarka Atlas Copco GA30 się przegrzewa",
            "Sprężarka powietrza Atlas Copco GA30 wyłącza się z powodu wysokiej temperatury.",
        ),
    ),
    (
        (
            "Shared drive S: is not mapped at login",
            "The S: network drive is missing after logging in on Windows.",
        ),
        (
            "S: drive missing after login",
            "Network share S: no longer maps automatically.",
        ),
        (
            "ru",
            "Сетевой диск S: не подключается при входе",
            "После входа в Windows сетевой диск S: отсутствует.",
        ),
    ),
    (
        (
            "Coffee machine in the canteen leaks",
            "The Jura coffee machine in the canteen leaks water under the tray.",
        ),
        (
            "Jura coffee machine leaking in canteen",
            "Canteen coffee machine: water under the drip tray.",
        ),
        (
            "it",
            "La macchina del caffè Jura della mensa perde acqua",
            "La macchina del caffè Jura in mensa perde acqua sotto il vassoio.",
        ),
    ),
    (
        (
            "Invoice PDF export is empty",
            "Exporting an invoice to PDF from the accounting app gives a blank page.",
        ),
        (
            "Blank page when exporting invoices to PDF",
            "The accounting app produces an empty PDF for invoices.",
        ),
        (
            "es",
            "La exportación de facturas a PDF sale vacía",
            "Al exportar una factura a PDF desde contabilidad sale una página en blanco.",
        ),
    ),
    (
        (
            "Fire alarm panel shows fault zone 7",
            "The fire alarm control panel reports a fault in zone 7.",
        ),
        (
            "Fault on zone 7 of the fire alarm panel",
            "Fire panel displays zone 7 fault since the night.",
        ),
        (
            "pl",
            "Centrala pożarowa pokazuje usterkę w strefie 7",
            "Centrala sygnalizacji pożaru zgłasza usterkę strefy 7.",
        ),
    ),
    (
        (
            "New employee needs an Active Directory account",
            "Please create an Active Directory account for Marta Lopez, starting Monday.",
        ),
        (
            "AD account for new hire Marta Lopez",
            "Marta Lopez starts Monday and needs her Active Directory user.",
        ),
        (
            "ru",
            "Нужна учётная запись Active Directory для Marta Lopez",
            "Создайте учётную запись Active Directory для новой сотрудницы Marta Lopez.",
        ),
    ),
    (
        (
            "Loading dock door 4 does not close",
            "The sectional door of loading dock 4 stops halfway when closing.",
        ),
        ("Dock 4 door stuck halfway", "Loading dock door number 4 won't close fully."),
        (
            "it",
            "La porta della baia di carico 4 non si chiude",
            "La porta sezionale della baia di carico 4 si ferma a metà.",
        ),
    ),
    (
        (
            "Excel crashes when opening the budget file",
            "Excel closes immediately when opening Budget2026.xlsx from SharePoint.",
        ),
        (
            "Budget2026.xlsx makes Excel crash",
            "Opening the budget workbook from SharePoint crashes Excel.",
        ),
        (
            "es",
            "Excel se cierra al abrir Budget2026.xlsx",
            "Excel se cierra al abrir el archivo Budget2026.xlsx desde SharePoint.",
        ),
    ),
    (
        (
            "UPS in server room beeping on battery",
            "The APC Smart-UPS in the server room is beeping and running on battery.",
        ),
        (
            "APC Smart-UPS server room on battery",
            "Server room UPS beeps, mains power seems lost.",
        ),
        (
            "pl",
            "UPS APC Smart-UPS w serwerowni piszczy i pracuje na baterii",
            "Zasilacz APC Smart-UPS w serwerowni pracuje na baterii.",
        ),
    ),
    (
        (
            "Certificate expired on intranet.acme.local",
            "Browsers show the certificate of intranet.acme.local as expired.",
        ),
        (
            "intranet.acme.local SSL certificate expired",
            "Security warning on intranet.acme.local: expired certificate.",
        ),
        (
            "ru",
            "Истёк сертификат на intranet.acme.local",
            "Браузеры показывают, что сертификат intranet.acme.local просрочен.",
        ),
    ),
    (
        (
            "Toilet on floor 2 is blocked",
            "The men's toilet on the second floor is blocked and overflowing.",
        ),
        (
            "Blocked toilet, second floor men's room",
            "Floor 2 toilet overflowing, please send a plumber.",
        ),
        (
            "it",
            "Il bagno al secondo piano è intasato",
            "Il bagno degli uomini al secondo piano è intasato e trabocca.",
        ),
    ),
    (
        (
            "CNC machine Haas VF-2 spindle alarm 108",
            "Haas VF-2 shows spindle alarm 108 and stops the program.",
        ),
        (
            "Alarm 108 spindle on the Haas VF-2",
            "The VF-2 machining center stops with spindle alarm 108.",
        ),
        (
            "es",
            "Fresadora Haas VF-2 alarma de husillo 108",
            "La Haas VF-2 muestra la alarma de husillo 108 y detiene el programa.",
        ),
    ),
    (
        (
            "Mobile app login loops back to start screen",
            "After entering the password the mobile app returns to the start screen.",
        ),
        (
            "Login loop in the mobile app",
            "The mobile app keeps going back to the start screen after login.",
        ),
        (
            "pl",
            "Logowanie w aplikacji mobilnej wraca do ekranu startowego",
            "Po wpisaniu hasła aplikacja mobilna wraca do ekranu startowego.",
        ),
    ),
    (
        (
            "Parking barrier does not open for visitors",
            "The visitor parking barrier does not lift when the intercom is used.",
        ),
        (
            "Visitor parking barrier stays closed",
            "Intercom at the visitors' parking barrier does not open it.",
        ),
        (
            "ru",
            "Шлагбаум парковки не открывается для посетителей",
            "Шлагбаум гостевой парковки не поднимается через домофон.",
        ),
    ),
    (
        (
            "Monitor Samsung S24 no signal",
            "My Samsung S24 monitor says no signal on the docking station.",
        ),
        (
            "No signal on Samsung S24 screen via dock",
            "The S24 monitor stays black with no signal through the docking station.",
        ),
        (
            "it",
            "Il monitor Samsung S24 dice nessun segnale",
            "Il mio monitor Samsung S24 indica nessun segnale con la docking station.",
        ),
    ),
    (
        (
            "Cold room temperature rising to 9 degrees",
            "Cold room 1 in the kitchen is at 9 °C instead of 3 °C.",
        ),
        (
            "Kitchen cold room 1 too warm, 9 °C",
            "Temperature alarm: cold room 1 reached 9 degrees.",
        ),
        (
            "es",
            "La cámara frigorífica sube a 9 grados",
            "La cámara frigorífica 1 de la cocina está a 9 °C en lugar de 3 °C.",
        ),
    ),
    (
        (
            "Payroll report missing overtime hours",
            "The November payroll report does not include overtime hours.",
        ),
        (
            "Overtime hours not in the November payroll report",
            "Payroll report for November lacks the overtime.",
        ),
        (
            "pl",
            "Raport płacowy nie zawiera nadgodzin",
            "Listopadowy raport płacowy nie uwzględnia nadgodzin.",
        ),
    ),
    (
        (
            "Projector in training room does not turn on",
            "The Epson projector in the training room does not power on.",
        ),
        (
            "Training room Epson projector dead",
            "Cannot switch on the projector in the training room.",
        ),
        (
            "ru",
            "Проектор Epson в учебном классе не включается",
            "Проектор Epson в учебном классе не включается.",
        ),
    ),
    (
        (
            "Water pressure low in building East",
            "Taps in building East have very low water pressure since yesterday.",
        ),
        (
            "Low water pressure, East building taps",
            "Since yesterday the water pressure in building East is weak.",
        ),
        (
            "it",
            "Pressione dell'acqua bassa nell'edificio East",
            "I rubinetti dell'edificio East hanno pressione molto bassa da ieri.",
        ),
    ),
]

# The machine of the incidents that are about one (by family).
EQUIPMENT = {
    0: "HP LaserJet M404, 3rd floor",
    4: "Chiller Carrier 30RB",
    6: "Elevator B, North",
    7: "SRV-DB01",
    8: "AC unit room 214",
    10: "Forklift Linde H25",
    12: "Badge reader, main entrance",
    13: "Boiler Viessmann Vitodens",
    15: "Conveyor line 3",
    16: "Dell Latitude 5420",
    17: "NAS-02",
    19: "Scanner Fujitsu fi-7160",
    21: "Compressor Atlas Copco GA30",
    23: "Coffee machine Jura, canteen",
    25: "Fire alarm panel",
    27: "Loading dock door 4",
    29: "APC Smart-UPS, server room",
    32: "Haas VF-2",
    34: "Visitor parking barrier",
    35: "Samsung S24 monitor",
    36: "Cold room 1",
    38: "Epson projector, training room",
}

UNRELATED = [
    ("Order 20 boxes of printer paper", "Please order A4 paper for the office."),
    ("Install Adobe Reader on PC-117", "User needs Adobe Reader on PC-117."),
    ("Replace the light bulb in corridor B", "One ceiling light is out in corridor B."),
    ("Quote for a second monitor", "We would like a quote for two extra monitors."),
    ("Add Jan Novak to the sales distribution list", "Jan joins the sales team."),
    ("Window cleaning schedule for December", "When is the next window cleaning?"),
    ("Change the VAT number on our invoices", "Our VAT number changed last month."),
    ("Move desk phone from room 101 to 105", "Employee moves office next week."),
    ("Request a guest Wi-Fi voucher for Friday", "Visitors arrive Friday at 10."),
    ("Yearly inspection of the sprinklers", "Please plan the yearly sprinkler check."),
    ("Upgrade RAM on the design workstation", "The design workstation needs 64 GB."),
    ("Remove the old fax machine", "The fax in the archive room is no longer used."),
    ("Key for the archive room lost", "We need a new key cut for the archive."),
    ("Training on the new time tracking tool", "Can you train 6 people on it?"),
    ("Paint touch-ups in the lobby", "Scratches on the lobby walls after the move."),
    ("Renew the domain acme-shop.com", "The domain expires in January."),
    ("Set up a new shared calendar for HR", "HR wants a calendar for holidays."),
    ("Pest control visit needed", "We saw mice near the storage room."),
    ("Install a whiteboard in meeting room Vega", "A 2 m whiteboard please."),
    ("Grant Pedro access to the finance folder", "Pedro needs read access."),
    ("Noise from the ventilation in the gym", "The gym ventilation hums at night."),
    ("Recycle old laptops", "Twelve old laptops to dispose of securely."),
    ("New SIM card for the sales phone", "The sales phone SIM is damaged."),
    ("Christmas lights on the facade", "Please install the facade lights."),
    ("Firewall rule for the new supplier portal", "Allow outbound 443 to the portal."),
    ("Broken chair in the reception", "The reception chair lost a wheel."),
    ("License renewal for the CAD software", "CAD licenses expire on 31 December."),
    ("Snow clearing of the car park", "Forecast says snow this weekend."),
    ("Export the customer list to CSV", "Marketing needs the customer list."),
    ("Install a door stop in office 12", "The door of office 12 hits the wall."),
    ("Set up an out of office message", "I am on leave from Monday."),
    ("Replace the filter of the kitchen hood", "The hood filter is greasy."),
    ("Create a mailing list for the board", "Board members need a list address."),
    ("Inspect the gutters on the roof", "Leaves block the gutters."),
    ("Rename the project folder on the NAS", "Project Alpha becomes Project Nova."),
    ("Order toner for the reception printer", "Black toner is almost empty."),
    ("Adjust the heating schedule for the holidays", "Offices closed 24-26 Dec."),
    ("New keyboard with Spanish layout", "A Spanish keyboard for Ana."),
    ("Calibrate the scale in the warehouse", "Yearly calibration of the scale."),
    ("Disable the account of a leaving employee", "Tom leaves on Friday."),
]


def with_typos(text):
    """The text as typed in a hurry: a transposition in every third word and
    a dropped letter in the words after them (longer words only)."""
    words = text.split(" ")
    for index, word in enumerate(words):
        if len(word) < 5:
            continue
        if index % 3 == 0:
            words[index] = word[:2] + word[3] + word[2] + word[4:]
        elif index % 3 == 1:
            words[index] = word[:3] + word[4:]
    return " ".join(words)


def labelled_reports():
    """``[(family index or None, kind, title, description)]``: every
    family's four reports (kinds ``first``, ``reworded``, ``language``,
    ``typos``), then the unrelated requests (kind ``other``)."""
    reports = []
    for index, (first, reworded, (_lang, title, description)) in enumerate(FAMILIES):
        reports += [
            (index, "first", *first),
            (index, "reworded", *reworded),
            (index, "language", title, description),
            (index, "typos", with_typos(first[0]), with_typos(first[1])),
        ]
    reports += [(None, "other", title, desc) for title, desc in UNRELATED]
    return reports
