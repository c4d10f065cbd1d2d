namespace VaeCfCluster.Model.Networks;

/// <summary>The likelihood p(x_u | z_u) the decoder output f(z_u) parameterises (Section 2.1, Table 4).</summary>
public enum Likelihood
{
    /// <summary>Eq. 2: log p = Σ_i x_ui log softmax(f)_i. The paper's choice; it ranks best.</summary>
    Multinomial,

    /// <summary>Eq. 3: log p = −Σ_i (c_ui / 2)(x_ui − f_ui)², with confidence c1 on clicks and c0 on the rest.</summary>
    Gaussian,

    /// <summary>Eq. 4: log p = Σ_i x_ui log σ(f_ui) + (1 − x_ui) log(1 − σ(f_ui)).</summary>
    Logistic,
}
