"""rotation: plan the meetings of a committee whose roles rotate across its units."""
