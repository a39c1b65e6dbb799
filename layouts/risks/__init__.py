"""The risks layout: risks rated by likelihood and impact, a risk matrix, a measure per risk."""
