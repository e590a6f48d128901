window.GLOSS_SEARCH = {"version":2,"docs":129,"group":128,"prefix":3,"wordChars":32,"kinds":["article","note","party","proposal","page"],"terms":["1"]};
