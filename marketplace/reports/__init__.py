"""Staff reports and the staff home (issue 27): what programmes achieve, by
Jalali period, province, Tehran district, Kowsar centre, programme and kind,
read from the order lines' and stall sales' frozen facts."""
