"""Invoice syntaxes (CII, UBL, Factur-X): parse into the model and write it back."""
