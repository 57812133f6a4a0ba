"""The sample's inputs for the report document, written from the published 2012 report (the seed):

* the reference workbook's optional ``Notes`` sheet: the report's "*" and "**" (Table 5's notes are the
  report's own; its Table 4 prints "*" after Costa Rica without the note's text, so ours says what Table 4
  shows: part of 2012 was paid during 2009);
* its ``Payment Instructions`` sheet: "How to Make Contributions", as printed in the report;
* ``workbooks/sample/activities.xlsx``, the activities register: the report's May–October 2012 activities,
  shortened, with Spanish columns for most rows (one row left without them shows the English fall-back).
"""
from __future__ import annotations

import datetime as dt

NOTES_HEADER = ["Table", "Row", "Column", "Mark", "Note", "Note (es)"]
NOTES = [
    ("Table 4", "Costa Rica", "", "*", "Costa Rica paid its contributions for 2009 to 2011 and part of 2012 in "
     "advance, during 2008 and 2009.", "Costa Rica pagó por adelantado, durante 2008 y 2009, sus contribuciones de "
     "2009 a 2011 y parte de la de 2012."),
    ("Table 5", "United States", "2008", "*", "The United States has made an additional contribution for a "
     "brochure with information about the Fund and how it is managed. The brochure was produced by IOM, with the "
     "aim of disseminating information about the Fund, primarily among consular authorities of RCM Member "
     "Countries.", "Estados Unidos hizo una contribución adicional para un folleto con información sobre el Fondo "
     "y su administración. La OIM produjo el folleto para difundir el Fondo, sobre todo entre las autoridades "
     "consulares de los Países Miembros de la CRM."),
    ("Table 5", "United States", "2009", "*", "The United States has made an additional contribution for a "
     "brochure with information about the Fund and how it is managed. The brochure was produced by IOM, with the "
     "aim of disseminating information about the Fund, primarily among consular authorities of RCM Member "
     "Countries.", "Estados Unidos hizo una contribución adicional para un folleto con información sobre el Fondo "
     "y su administración. La OIM produjo el folleto para difundir el Fondo, sobre todo entre las autoridades "
     "consulares de los Países Miembros de la CRM."),
    ("Table 5", "European Union", "", "**", "For more information, see point #3 of the Conclusions of the RCGM, "
     "December 2009. The amount is lower for 2010 than 2009 due to variations in the exchange rates.",
     "Para más información, véase el punto 3 de las Conclusiones del GRCM de diciembre de 2009. El monto de 2010 "
     "es menor que el de 2009 por las variaciones del tipo de cambio."),
]

PAYMENT_HEADER = ["Field", "Value", "Field (es)", "Value (es)"]
PAYMENT = [
    ("Option 1: Transfer in US$ to IOM-Geneva", "", "Opción 1: Transferencia en US$ a OIM-Ginebra", ""),
    ("Bank", "Citibank, N.A., 399 Park Avenue, New York, NY 10043", "Banco", ""),
    ("SWIFT BIC", "CITIUS33", "", ""),
    ("ABA", "021000089", "", ""),
    ("IOM Geneva account", "30557053", "Cuenta de OIM Ginebra", ""),
    ("Option 2: Transfer in US$ to the bank account of IOM in San José, Costa Rica", "",
     "Opción 2: Transferencia en US$ a la cuenta bancaria de la OIM en San José, Costa Rica", ""),
    ("Bank", "Banco de Costa Rica, Avenida 2 - Central, Calles 4-6, San José, Costa Rica", "Banco", ""),
    ("SWIFT Code", "BCRICRSJ", "Código SWIFT", ""),
    ("Credit to account", "176613-9, for: Organización Internacional para las Migraciones", "Acreditar a la cuenta",
     "176613-9, a nombre de: Organización Internacional para las Migraciones"),
    ("", "It is recommended that detailed information about the transfer be mailed to the IOM Office in San José "
     "after the transfer is made: Organización Internacional para las Migraciones, Avenida Central, entre calles "
     "27 y 29, casa # 2775, San José, Costa Rica; Apartado 122-2050. Send a confirmation to fax (506) 2222-0590, "
     "Attention: Technical Secretariat.", "", "Se recomienda enviar a la Oficina de la OIM en San José la "
     "información detallada de la transferencia una vez realizada: Organización Internacional para las "
     "Migraciones, Avenida Central, entre calles 27 y 29, casa # 2775, San José, Costa Rica; Apartado 122-2050. "
     "Envíe una confirmación al fax (506) 2222-0590, Atención: Secretaría Técnica."),
    ("Option 3: International check", "", "Opción 3: Cheque internacional", ""),
    ("", "The least recommended option is to mail an international check to the address above, payable to "
     "Organización Internacional para las Migraciones, specifying the reason for this payment. It takes at least "
     "a month for the bank to release funds on the check.", "", "La opción menos recomendada es enviar por correo "
     "un cheque internacional a la dirección anterior, a nombre de la Organización Internacional para las "
     "Migraciones, indicando el motivo del pago. El banco tarda al menos un mes en liberar los fondos del cheque."),
]

ACTIVITIES_HEADER = ["Section", "Title", "Place", "Start", "End", "Description", "Title (es)", "Place (es)",
                     "Description (es)"]
D = dt.date
ACTIVITIES = [
    ("1.1", "Follow-up meetings with governmental institutions of Costa Rica", "San José, Costa Rica",
     D(2012, 8, 31), D(2012, 10, 30), "Meetings on the responsibilities associated to the coordination of the RCM "
     "Presidency Pro Tempore, budget, expectations and plans for 2013 (August 31st, October 2nd and 30th).",
     "Reuniones de seguimiento con instituciones gubernamentales de Costa Rica", "San José, Costa Rica",
     "Reuniones sobre las responsabilidades de la coordinación de la Presidencia Pro Tempore de la CRM, el "
     "presupuesto, las expectativas y los planes para 2013 (31 de agosto, 2 y 30 de octubre)."),
    ("1.2", "Regional Work Meeting of Consular Departments", "San José, Costa Rica", D(2012, 8, 28),
     D(2012, 8, 29), "The meeting presented the results of the training process to Foreign Affairs and consular "
     "representations of the countries of the region, with the objective to agree regional guidelines for cases "
     "of trafficking in persons and the consular protection of victims.\nThe TS facilitated contacts with the RCM "
     "Countries and helped to secure the logistical arrangements.",
     "Reunión Regional de Trabajo de Departamentos Consulares", "San José, Costa Rica",
     "La reunión presentó los resultados del proceso de capacitación a las cancillerías y representaciones "
     "consulares de la región, con el objetivo de acordar lineamientos regionales para los casos de trata de "
     "personas y la protección consular de las víctimas.\nLa ST facilitó los contactos con los países de la CRM y "
     "apoyó la logística."),
    ("1.2", "Seminar: Challenges in Migration: Combating Trafficking and Smuggling, Security and Human Rights",
     "Panama City, Panama", D(2012, 9, 3), D(2012, 9, 4), "Held at the proposal of Panama as PPT. The TS made the "
     "call, purchased the participants' tickets, followed up on the invitations and coordinated the agenda and "
     "logistics.", "Seminario: Desafíos de la migración: combate a la trata y al tráfico, seguridad y derechos "
     "humanos", "Ciudad de Panamá, Panamá", "Realizado a propuesta de Panamá como PPT. La ST hizo la convocatoria, "
     "compró los boletos de los participantes, dio seguimiento a las invitaciones y coordinó la agenda y la "
     "logística."),
    ("1.2", "Dialogue meeting between the RCM member countries and countries of origin of irregular "
     "extra-continental migration flows", "Mexico City, Mexico", D(2012, 9, 20), D(2012, 9, 21),
     "Held attending Point #21 of the Conclusions of the last RCGM meeting, to facilitate cooperation among "
     "countries of origin, transit and destination. The TS supported the call and logistics and wrote the final "
     "report.", "", "", ""),
    ("1.3", "I Meeting on Migration of CELAC", "Comayagua, Honduras", D(2012, 8, 20), D(2012, 8, 21),
     "The TS presented a general panorama of the RCM, its structure, operational work and main achievements.",
     "I Reunión sobre Migración de la CELAC", "Comayagua, Honduras", "La ST presentó un panorama general de la CRM, "
     "su estructura, su trabajo operativo y sus principales logros."),
    ("1.3", "Third Meeting of National Authorities on Trafficking in Persons (OAS)", "Guatemala City, Guatemala",
     D(2012, 10, 15), D(2012, 10, 16), "The TS presented how the RCM member countries have approached trafficking "
     "in persons through the years, in the Liaison Officers Network.", "Tercera Reunión de Autoridades Nacionales "
     "en materia de Trata de Personas (OEA)", "Ciudad de Guatemala, Guatemala", "La ST presentó cómo han abordado "
     "los países de la CRM la trata de personas a lo largo de los años, en la Red de Funcionarios de Enlace."),
    ("1.4", "Private site of the Virtual Secretariat", "", D(2012, 8, 1), D(2012, 10, 31), "Spaces were created for "
     "the meetings of the period, with agendas, logistical information, presentations and reports.",
     "Sitio privado de la Secretaría Virtual", "", "Se crearon espacios para las reuniones del período, con "
     "agendas, información logística, presentaciones e informes."),
    ("1.5", "Logistics for the meetings of the 2013 Presidency Pro Tempore", "Costa Rica", D(2012, 10, 1),
     D(2012, 10, 31), "Visits to hotels in several cities of Costa Rica; regular coordination with the RNCOM "
     "Technical Secretariat and observer international organizations.", "Logística de las reuniones de la "
     "Presidencia Pro Tempore de 2013", "Costa Rica", "Visitas a hoteles en varias ciudades de Costa Rica; "
     "coordinación regular con la Secretaría Técnica de la RROCM y los organismos internacionales observadores."),
]
