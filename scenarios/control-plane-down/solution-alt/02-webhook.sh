# istioctl writes the default revision tag's webhook again, as an install makes it.
istioctl tag set default --revision default --overwrite
