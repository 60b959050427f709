"""Statistical disclosure control: counts that leave the commander role are protected."""
